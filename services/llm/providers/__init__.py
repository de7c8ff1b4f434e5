"""Provider adapters: each turns a `ProviderCall` into one SDK request and back."""
