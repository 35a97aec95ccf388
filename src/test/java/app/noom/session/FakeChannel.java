package app.noom.session;

import java.util.ArrayList;
import java.util.List;

/** A client connection that records what it was sent and how it was closed; the test decides when its queue is full. */
final class FakeChannel implements ClientChannel {
    final List<String> sent = new ArrayList<>();
    final List<Integer> closeCodes = new ArrayList<>();
    final List<Runnable> drainActions = new ArrayList<>();
    boolean writeQueueFull;

    @Override
    public void send(String text) {
        sent.add(text);
    }

    @Override
    public void close(int code, String reason) {
        closeCodes.add(code);
    }

    @Override
    public boolean writeQueueFull() {
        return writeQueueFull;
    }

    @Override
    public void onDrain(Runnable action) {
        drainActions.add(action);
    }

    /** The queue emptied: the transport runs each registered action once. */
    void drain() {
        writeQueueFull = false;
        List<Runnable> actions = List.copyOf(drainActions);
        drainActions.clear();
        actions.forEach(Runnable::run);
    }

    @Override
    public String remoteAddress() {
        return "192.0.2.1";
    }
}
