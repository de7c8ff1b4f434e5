"""Why a run command was refused; the message is safe to show, `status` is the HTTP status."""

from __future__ import annotations


class RunActionError(Exception):
    status = 409
    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or type(self).code
        self.field = field


class RunForbidden(RunActionError):
    status = 403
    code = "forbidden"


class RunConflict(RunActionError):
    status = 409
    code = "conflict"


class RunInvalid(RunActionError):
    status = 422
    code = "validation_failed"
