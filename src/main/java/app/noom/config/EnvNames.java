package app.noom.config;

/** The environment variables Noom reads; deployment files and their tests refer to these names. */
public final class EnvNames {
    public static final String PORT = "PORT";
    public static final String NODE_ID = "NODE_ID";
    public static final String HTTP_INSTANCES = "HTTP_INSTANCES";
    public static final String REDIS_URL = "REDIS_URL";
    public static final String REDIS_CLUSTER = "REDIS_CLUSTER";
    public static final String STUN_URLS = "STUN_URLS";
    public static final String TURN_URLS = "TURN_URLS";
    public static final String TURN_SECRET = "TURN_SECRET";
    public static final String TURN_TTL_SECONDS = "TURN_TTL_SECONDS";
    public static final String MAX_MEMBERS_PER_ROOM = "MAX_MEMBERS_PER_ROOM";
    public static final String MAX_ROOMS_PER_SESSION = "MAX_ROOMS_PER_SESSION";
    public static final String MAX_FRAME_BYTES = "MAX_FRAME_BYTES";
    public static final String HELLO_TIMEOUT_SECONDS = "HELLO_TIMEOUT_SECONDS";
    public static final String IDLE_TIMEOUT_SECONDS = "IDLE_TIMEOUT_SECONDS";
    public static final String RESUME_GRACE_SECONDS = "RESUME_GRACE_SECONDS";
    public static final String ALLOWED_ORIGINS = "ALLOWED_ORIGINS";
    public static final String MAX_CONNECTIONS_PER_IP = "MAX_CONNECTIONS_PER_IP";
    public static final String RATE_SIGNALS_PER_SECOND = "RATE_SIGNALS_PER_SECOND";
    public static final String RATE_SIGNALS_BURST = "RATE_SIGNALS_BURST";
    public static final String RATE_CHAT_PER_SECOND = "RATE_CHAT_PER_SECOND";
    public static final String RATE_CHAT_BURST = "RATE_CHAT_BURST";
    public static final String RATE_JOINS_PER_SECOND = "RATE_JOINS_PER_SECOND";
    public static final String RATE_JOINS_BURST = "RATE_JOINS_BURST";
    public static final String KICK_BAN_SECONDS = "KICK_BAN_SECONDS";
    public static final String MAX_ROOMS_PER_NODE = "MAX_ROOMS_PER_NODE";
    public static final String AUTH_JWT_ALGORITHM = "AUTH_JWT_ALGORITHM";
    public static final String AUTH_JWT_SECRET = "AUTH_JWT_SECRET";
    public static final String AUTH_JWT_PUBLIC_KEY = "AUTH_JWT_PUBLIC_KEY";
    public static final String AUTH_JWT_ISSUER = "AUTH_JWT_ISSUER";
    public static final String AUTH_JWT_AUDIENCE = "AUTH_JWT_AUDIENCE";
    public static final String PASSWORD_ATTEMPTS_PER_MINUTE = "PASSWORD_ATTEMPTS_PER_MINUTE";
    /** New password rooms (each costs a PBKDF2 hash) one client address may create per minute on a node. */
    public static final String PASSWORD_ROOMS_PER_MINUTE = "PASSWORD_ROOMS_PER_MINUTE";
    /** Bearer token for the read-only admin view; unset = the admin page and API answer 404. */
    public static final String ADMIN_TOKEN = "ADMIN_TOKEN";
    /** Listen address of every listener (default 0.0.0.0). */
    public static final String BIND_HOST = "BIND_HOST";
    /** Internal port for /metrics and the admin view; unset = they stay on PORT. */
    public static final String METRICS_PORT = "METRICS_PORT";
    /** Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For names the client. */
    public static final String TRUSTED_PROXIES = "TRUSTED_PROXIES";
    /** Seconds a new HTTP connection has to send a complete request head (slowloris, silent sockets). */
    public static final String HTTP_REQUEST_TIMEOUT_SECONDS = "HTTP_REQUEST_TIMEOUT_SECONDS";
    /** {@code text} (default) or {@code json}: one JSON object per log line. */
    public static final String LOG_FORMAT = "LOG_FORMAT";
    /** error|warn|info|debug|trace for Noom's own loggers (default info). */
    public static final String LOG_LEVEL = "LOG_LEVEL";

    /** HTTP paths other tools rely on. */
    public static final String PATH_HEALTH = "/health";

    public static final String PATH_READY = "/ready";
    public static final String PATH_METRICS = "/metrics";
    public static final String PATH_SIGNAL = "/signal";
    public static final String PATH_SOCKJS = "/sockjs";
    public static final String PATH_ICE_SERVERS = "/api/ice-servers";
    public static final String PATH_ADMIN = "/admin";

    private EnvNames() {}
}
