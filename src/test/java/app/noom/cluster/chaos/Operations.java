package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The workload of one client: each step picks an operation from the seed's random stream and the client's current
 * beliefs (its rooms, their members, whether it is host). Choices depend only on the seed and what the client saw.
 */
final class Operations {
    private final ChaosClient client;
    private final Random random;
    private final List<String> rooms;
    private final ChaosCluster cluster;
    private int nicknames;

    /** {@code CHAOS_RESUME=same}: resume only where the session lives (no cross-node hand-over), to tell bugs apart. */
    static final boolean SAME_NODE_RESUME =
            "same".equals(System.getProperty("CHAOS_RESUME", System.getenv("CHAOS_RESUME")));

    Operations(ChaosClient client, Random random, List<String> rooms, ChaosCluster cluster) {
        this.client = client;
        this.random = random;
        this.rooms = rooms;
        this.cluster = cluster;
    }

    /** Gets the client back in (resume on a random live node, a few tries) if its connection is gone. */
    boolean ensureConnected() {
        for (int attempt = 0; attempt < 4 && !client.isOpen(); attempt++) {
            List<Integer> up = cluster.upNodes();
            if (up.isEmpty()) return false;
            int pick = up.get(random.nextInt(up.size()));
            if (SAME_NODE_RESUME && up.contains(client.lastNode)) pick = client.lastNode;
            client.resume(pick);
        }
        return client.isOpen();
    }

    void step() {
        if (!ensureConnected()) return;
        int dice = random.nextInt(100);
        List<String> mine = client.view.rooms();
        String room = mine.isEmpty() ? null : mine.get(random.nextInt(mine.size()));
        if (room == null || dice < 12) join(dice < 5);
        else if (dice < 17) leave(room);
        else if (dice < 42) signals(room);
        else if (dice < 57) chat(room);
        else if (dice < 61) nickname();
        else if (dice < 65) media(room);
        else if (dice < 75) hostControl(room);
        else if (dice < 83) reconnect();
        else if (dice < 89) dropForAWhile();
        else if (dice < 91) byeAndReturn();
        else probeKickedRoom();
    }

    private void join(boolean chatRightAway) {
        List<String> candidates = new ArrayList<>(rooms);
        candidates.removeAll(client.view.rooms());
        if (candidates.isEmpty()) return;
        String room = candidates.get(random.nextInt(candidates.size()));
        CompletableFuture<Received> joined = client.send(msg("join").put("room", room));
        if (chatRightAway) { // pipelined: the server must handle them in this order
            CompletableFuture<Received> chat = client.send(chatMessage(room));
            CompletableFuture<Received> media = client.send(mediaMessage(room));
            client.await(joined);
            client.await(chat);
            client.await(media);
        } else {
            client.await(joined);
        }
    }

    private void leave(String room) {
        Received reply = client.await(client.send(msg("leave").put("room", room)));
        if (reply != null && reply.is("ack")) client.view.left(room);
    }

    /** A burst of 1–8 signals to one member, pipelined. */
    private void signals(String room) {
        List<String> others = client.view.others(room);
        if (others.isEmpty()) {
            chat(room);
            return;
        }
        String to = others.get(random.nextInt(others.size()));
        List<CompletableFuture<Received>> replies = new ArrayList<>();
        int burst = 1 + random.nextInt(8);
        for (int i = 0; i < burst; i++) {
            replies.add(client.send(msg("signal")
                    .put("room", room)
                    .put("to", to)
                    .put("kind", "candidate")
                    .put("payload", Messages.signalPayload(client.name, client.nextNumber()))));
        }
        replies.forEach(client::await);
    }

    private void chat(String room) {
        int burst = 1 + random.nextInt(3);
        List<CompletableFuture<Received>> replies = new ArrayList<>();
        for (int i = 0; i < burst; i++) replies.add(client.send(chatMessage(room)));
        replies.forEach(client::await);
    }

    private JsonObject chatMessage(String room) {
        return msg("chat").put("room", room).put("text", Messages.chatText(client.name, client.nextNumber()));
    }

    private void nickname() {
        client.await(client.send(msg("nickname").put("nickname", client.name + "-" + (++nicknames))));
    }

    private void media(String room) {
        client.await(client.send(mediaMessage(room)));
    }

    private JsonObject mediaMessage(String room) {
        return msg("media")
                .put("room", room)
                .put("audioMuted", random.nextBoolean())
                .put("videoOff", random.nextBoolean())
                .put("screen", random.nextBoolean());
    }

    /** Lock/unlock, kick or hand over — as host if it believes it is; otherwise it tries anyway (expects not_host). */
    private void hostControl(String room) {
        List<String> others = client.view.others(room);
        int what = random.nextInt(4); // 0 lock, 1-2 kick (kicks are what I5 is about), 3 hand over
        if (!client.view.isHost(room, client.sessionId()) && random.nextInt(4) != 0) {
            chat(room);
            return;
        }
        if (what == 0 || others.isEmpty()) {
            client.await(client.send(msg("lock").put("room", room).put("locked", random.nextInt(3) == 0)));
            if (random.nextBoolean())
                client.await(client.send(msg("lock").put("room", room).put("locked", false)));
        } else {
            String member = others.get(random.nextInt(others.size()));
            client.await(client.send(
                    msg(what == 3 ? "host" : "kick").put("room", room).put("member", member)));
        }
    }

    /** Drop and resume at once on a random node (often another one: a cross-node hand-over). */
    private void reconnect() {
        client.drop();
        ensureConnected();
    }

    /** Drop, stay away while others keep talking (the server must keep what it owes us), then resume. */
    private void dropForAWhile() {
        client.drop();
        pause(50 + random.nextInt(400));
        ensureConnected();
    }

    private void byeAndReturn() {
        client.bye();
        List<Integer> up = cluster.upNodes();
        if (!up.isEmpty()) client.hello(up.get(random.nextInt(up.size())));
    }

    /** After a kick: talk into the room or re-join it; both must be refused. */
    private void probeKickedRoom() {
        List<String> kicked = client.view.kickedFrom();
        if (kicked.isEmpty()) {
            List<String> mine = client.view.rooms();
            if (!mine.isEmpty()) chat(mine.get(0));
            return;
        }
        String room = kicked.get(random.nextInt(kicked.size()));
        if (random.nextBoolean()) client.await(client.send(chatMessage(room)));
        else client.await(client.send(msg("join").put("room", room)));
    }

    /** Think time of the simulated user (part of the workload, not a synchronisation). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static JsonObject msg(String type) {
        return new JsonObject().put("type", type);
    }
}
