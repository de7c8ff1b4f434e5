"""Telling the people who can act that a run paused or failed: webhooks and email.

One concern per module: `signing` (the `Catalyst-Signature` header), `events` (what a message
says), `hooks` (an organisation's webhooks), `outbox` (deliveries and their attempts, the source of
truth), `webhook_sender` and `mailer` (one attempt each), `delivery` (an attempt's outcome: retry,
give up, disable a hook), `queue` and `consumer` (who sends, when), `notifier` (the entry point the
run executor calls). See docs/notifications.md.
"""
