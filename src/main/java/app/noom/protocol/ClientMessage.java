package app.noom.protocol;

import java.util.Optional;

/** A validated client → server message. {@code id} is the client's request id (String, Long or null). */
public sealed interface ClientMessage {
    Object id();

    MessageType type();

    /** @param token a signed join token, required when the server is configured for tokens */
    record Hello(Object id, String nickname, Optional<ResumeRequest> resume, Optional<String> token)
            implements ClientMessage {
        public Hello(Object id, String nickname, Optional<ResumeRequest> resume) {
            this(id, nickname, resume, Optional.empty());
        }

        public MessageType type() {
            return MessageType.HELLO;
        }

        @Override
        public String toString() {
            return "Hello[id=" + id + ", nickname=" + nickname + ", resume=" + resume + ", token="
                    + token.map(t -> "<hidden>").orElse("<none>") + "]";
        }
    }

    /** Reserved for session resume: the token from an earlier welcome and the highest seq the client saw. */
    record ResumeRequest(String token, long lastSeq) {
        @Override
        public String toString() {
            return "ResumeRequest[token=<hidden>, lastSeq=" + lastSeq + "]";
        }
    }

    /** Ends the session now: every room is left at once and the server closes the connection. */
    record Bye(Object id) implements ClientMessage {
        public MessageType type() {
            return MessageType.BYE;
        }
    }

    record Ping(Object id) implements ClientMessage {
        public MessageType type() {
            return MessageType.PING;
        }
    }

    record NicknameChange(Object id, String nickname) implements ClientMessage {
        public MessageType type() {
            return MessageType.NICKNAME;
        }
    }

    record RoomsSubscribe(Object id) implements ClientMessage {
        public MessageType type() {
            return MessageType.ROOMS_SUBSCRIBE;
        }
    }

    record RoomsUnsubscribe(Object id) implements ClientMessage {
        public MessageType type() {
            return MessageType.ROOMS_UNSUBSCRIBE;
        }
    }

    /**
     * @param password the room's password: sets it when the room is created, must match when it exists
     * @param privateRoom when creating: keep the room out of the public room list
     */
    record Join(Object id, String room, Optional<String> password, boolean privateRoom) implements ClientMessage {
        public Join(Object id, String room) {
            this(id, room, Optional.empty(), false);
        }

        public MessageType type() {
            return MessageType.JOIN;
        }

        @Override
        public String toString() {
            return "Join[id=" + id + ", room=" + room + ", password="
                    + password.map(p -> "<set>").orElse("<none>") + ", privateRoom=" + privateRoom + "]";
        }
    }

    /** Host only: newcomers are refused while the room is locked. */
    record Lock(Object id, String room, boolean locked) implements ClientMessage {
        public MessageType type() {
            return MessageType.LOCK;
        }
    }

    /** Host only: remove a member, who may not come back for a while. */
    record Kick(Object id, String room, String member) implements ClientMessage {
        public MessageType type() {
            return MessageType.KICK;
        }
    }

    /** Host only: hand the host role to another member. */
    record HandOverHost(Object id, String room, String member) implements ClientMessage {
        public MessageType type() {
            return MessageType.HOST;
        }
    }

    record Leave(Object id, String room) implements ClientMessage {
        public MessageType type() {
            return MessageType.LEAVE;
        }
    }

    record Media(Object id, String room, MediaState state) implements ClientMessage {
        public MessageType type() {
            return MessageType.MEDIA;
        }
    }

    record Signal(Object id, String room, String to, SignalKind kind, RawJson payload) implements ClientMessage {
        public MessageType type() {
            return MessageType.SIGNAL;
        }
    }

    record Chat(Object id, String room, String text) implements ClientMessage {
        public MessageType type() {
            return MessageType.CHAT;
        }
    }
}
