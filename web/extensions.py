"""Flask extensions, created unbound here and bound to the app in `create_app`."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()
talisman = Talisman()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
