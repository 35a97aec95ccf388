package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The chats and signals of a run, each identified by its sender's client name and a number unique to that client:
 * chat text {@code "<client>#<n>"}, signal payload {@code {"c":"<client>","n":<n>}}.
 */
final class Messages {
    /** A chat or signal as sent, with its reply (null if none came). */
    record Message(SessionLog sender, Sent sent, Received reply) {
        String kind() {
            return sent.type();
        }

        String room() {
            return sent.room();
        }

        long n() {
            return number(sent.msg());
        }

        boolean acked() {
            return reply != null && reply.is("ack");
        }

        String errorCode() {
            return reply != null && reply.is("error") ? reply.frame().getString("code") : null;
        }

        boolean matches(Received r) {
            return kind().equals(r.type())
                    && room().equals(r.room())
                    && sender.client.equals(client(r.frame()))
                    && n() == number(r.frame());
        }
    }

    private Messages() {}

    static String chatText(String client, long n) {
        return client + "#" + n;
    }

    static JsonObject signalPayload(String client, long n) {
        return new JsonObject().put("c", client).put("n", n);
    }

    @SuppressWarnings("unchecked")
    static List<Message> all(History h) {
        return (List<Message>) h.memo.computeIfAbsent("messages", k -> collect(h));
    }

    private static List<Message> collect(History h) {
        List<Message> all = new ArrayList<>();
        for (SessionLog s : h.known()) {
            for (Sent m : s.sent()) {
                if ("chat".equals(m.type()) || "signal".equals(m.type())) all.add(new Message(s, m, s.reply(m.id())));
            }
        }
        return all;
    }

    /** The copies of message {@code m} that session {@code to} received (indexed once per session). */
    static List<Received> deliveries(History h, Message m, SessionLog to) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, List<Received>> index = (java.util.Map<String, List<Received>>)
                h.memo.computeIfAbsent("deliveries|" + to.label(), k -> indexOf(to));
        return index.getOrDefault(key(m.kind(), m.room(), m.sender().id(), m.sender().client, m.n()), List.of());
    }

    private static java.util.Map<String, List<Received>> indexOf(SessionLog s) {
        java.util.Map<String, List<Received>> index = new java.util.HashMap<>();
        for (Received r : s.frames()) {
            if (!isRelayed(r)) continue;
            String k = key(r.type(), r.room(), r.frame().getString("from"), client(r.frame()), number(r.frame()));
            index.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        return index;
    }

    private static String key(String kind, String room, String from, String client, long n) {
        return kind + "|" + room + "|" + from + "|" + client + "|" + n;
    }

    /** True for a chat or signal frame that one of the run's messages produced. */
    static boolean isRelayed(Received r) {
        return (r.is("chat") || r.is("signal")) && client(r.frame()) != null;
    }

    static String client(JsonObject frame) {
        if ("signal".equals(frame.getString("type"))) {
            JsonObject p = frame.getJsonObject("payload");
            return p == null ? null : p.getString("c");
        }
        String text = frame.getString("text", "");
        int hash = text.indexOf('#');
        return hash < 0 ? null : text.substring(0, hash);
    }

    static long number(JsonObject frame) {
        if ("signal".equals(frame.getString("type"))) {
            JsonObject p = frame.getJsonObject("payload");
            return p == null ? -1 : p.getLong("n", -1L);
        }
        String text = frame.getString("text", "");
        int hash = text.indexOf('#');
        try {
            return hash < 0 ? -1 : Long.parseLong(text.substring(hash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
