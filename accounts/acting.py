"""Who is making a change: the person the data rules (accounts.changes, the page-place rules) judge.

- In a request: the person signed in (or nobody signed in: a visitor, someone resetting their password).
  ActingPersonMiddleware sets it for every request, admin or not, so a rule on the data knows who is acting
  whichever view, API or bulk action saves it.
- Outside a request: whoever the code names with Wagtail's `LogContext(user=...)` (which also puts their
  name in the audit log), or `acting_as(...)`.
- Otherwise the server itself: setup, the demo, scheduled commands, a shell with nobody named. The server is
  not limited (whoever runs it already holds the database), but what it changes is still logged and told.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from wagtail.log_actions import LogContext, get_active_log_context


@dataclass
class Acting:
    request: object = None  # the request being served, if any
    server: bool = False  # explicitly the server, inside a request (single sign-on filing a new person)
    alerts: dict = field(default_factory=dict)  # account alerts gathered in this request, sent at its end


_acting = ContextVar("acting_person", default=None)  # set by accounts.middleware.ActingPersonMiddleware


def acting_person():
    """The person acting, an AnonymousUser for a visitor, or None for the server itself."""
    state = _acting.get()
    if state is not None and state.server:
        return None
    if state is not None and state.request is not None:
        return state.request.user
    return get_active_log_context().user


def acting_request():
    state = _acting.get()
    return state.request if state is not None else None


def request_state():
    return _acting.get()


@contextmanager
def acting_as(user):
    """Outside a request, act as `user`: a command run on someone's behalf is judged as that person."""
    token = _acting.set(Acting())
    try:
        with LogContext(user=user):
            yield
    finally:
        _acting.reset(token)


@contextmanager
def as_the_server():
    """Inside a request, a change the server makes of its own accord (single sign-on creating and filing a new
    person from the directory's word), not one the visitor asked for."""
    state = _acting.get()
    token = _acting.set(Acting(server=True, alerts=state.alerts if state else {}))
    try:
        yield
    finally:
        _acting.reset(token)
