package app.noom.room;

import static app.noom.protocol.ErrorCode.PASSWORD_BUSY;
import static app.noom.protocol.ErrorCode.ROOM_CREATION_THROTTLED;

import app.noom.net.AddressRateWindow;
import app.noom.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where room passwords are hashed and checked: threads of their own (half the cores), never an event loop, so a burst
 * of password joins takes at most that share of the CPU. Waiting work is bounded, per client address and in all, and
 * served fairly across addresses (see {@link FairQueue}): one address's burst delays another address's join by about
 * the hashes already running, not by its whole backlog. Beyond the bounds a join is refused {@code password_busy}; an
 * address may also create only so many password rooms a minute ({@code room_creation_throttled}). Results come back on
 * the caller's context, where the session's state lives.
 */
public final class PasswordWorkers implements AutoCloseable {
    /** Half the cores: hashing must leave the event loops a core of their own. */
    public static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    public static final int DEFAULT_MAX_WAITING = 64;
    public static final int DEFAULT_MAX_WAITING_PER_ADDRESS = 8;

    private final ExecutorService threads;
    private final FairQueue queue;
    private final AddressRateWindow creations;

    public PasswordWorkers(int passwordRoomsPerMinute) {
        this(DEFAULT_THREADS, DEFAULT_MAX_WAITING, DEFAULT_MAX_WAITING_PER_ADDRESS, passwordRoomsPerMinute);
    }

    public PasswordWorkers(int threadCount, int maxWaiting, int maxWaitingPerAddress, int passwordRoomsPerMinute) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "noom-password-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.queue = new FairQueue(maxWaiting, maxWaitingPerAddress);
        this.creations = new AddressRateWindow(passwordRoomsPerMinute);
    }

    /** The stored hash of a new password room's password, unless {@code addressKey} created too many this minute. */
    public Future<String> hashForNewRoom(String addressKey, String password, Context caller) {
        if (!creations.take(addressKey)) {
            return Future.failedFuture(new ProtocolException(
                    ROOM_CREATION_THROTTLED, "too many new password rooms from your address; try again in a minute"));
        }
        return submit(addressKey, () -> RoomPasswords.hash(password), caller);
    }

    public Future<Boolean> matches(String addressKey, String password, String encoded, Context caller) {
        return submit(addressKey, () -> RoomPasswords.matches(password, encoded), caller);
    }

    /** Runs {@code work} in {@code addressKey}'s turn; its result (or failure) completes on {@code caller}. */
    public <T> Future<T> submit(String addressKey, Callable<T> work, Context caller) {
        Promise<T> promise = Promise.promise();
        Runnable task = () -> {
            try {
                T result = work.call();
                caller.runOnContext(v -> promise.complete(result));
            } catch (Exception | Error e) {
                caller.runOnContext(v -> promise.fail(e));
            }
        };
        if (!queue.offer(addressKey, task)) {
            return Future.failedFuture(new ProtocolException(
                    PASSWORD_BUSY, "too many password checks are waiting; try again in a moment"));
        }
        threads.execute(queue::runNext); // one run per task offered; which task it runs is the queue's fair choice
        return promise.future();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /**
     * Waiting tasks in start-time fair order: an address's next task starts one turn after its previous one, a newcomer
     * at the current turn, so an address with a backlog cannot push another address's task behind it; ties go first come,
     * first served. Bounded in all and per address.
     */
    private static final class FairQueue {
        private record Task(long turn, long arrival, String address, Runnable work) {}

        private static final class Backlog {
            int waiting;
            long nextTurn;
        }

        private final int maxWaiting;
        private final int maxPerAddress;
        private final PriorityQueue<Task> tasks =
                new PriorityQueue<>(Comparator.comparingLong(Task::turn).thenComparingLong(Task::arrival));
        private final Map<String, Backlog> backlogs = new HashMap<>();
        private long currentTurn; // the turn of the task taken last
        private long arrivals;

        FairQueue(int maxWaiting, int maxPerAddress) {
            this.maxWaiting = maxWaiting;
            this.maxPerAddress = maxPerAddress;
        }

        synchronized boolean offer(String address, Runnable work) {
            Backlog backlog = backlogs.get(address);
            if (tasks.size() >= maxWaiting || backlog != null && backlog.waiting >= maxPerAddress) return false;
            if (backlog == null) backlogs.put(address, backlog = new Backlog());
            long turn = Math.max(currentTurn, backlog.nextTurn);
            backlog.nextTurn = turn + 1;
            backlog.waiting++;
            tasks.add(new Task(turn, arrivals++, address, work));
            return true;
        }

        void runNext() {
            Task next;
            synchronized (this) {
                next = tasks.poll();
                currentTurn = next.turn();
                backlogs.get(next.address()).waiting--;
                // an address without waiting work whose turn has come is a newcomer again: forget it
                backlogs.values().removeIf(b -> b.waiting == 0 && b.nextTurn <= currentTurn);
            }
            next.work().run();
        }
    }
}
