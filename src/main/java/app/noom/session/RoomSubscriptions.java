package app.noom.session;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

/**
 * Ending a session's subscription to a room. Envelopes still on their way to it (published on another event loop, or
 * arriving from Redis, just before the member left) are not for it any more: the member is gone, and the room's other
 * members get them through their own subscriptions. Vert.x would log each as a warning ("Discarding message since the
 * consumer is not registered"), which happened whenever members left a room at the same moment; they are dropped on
 * purpose here, silently.
 */
final class RoomSubscriptions {
  private RoomSubscriptions() {}

  static void end(MessageConsumer<?> subscription) {
    // the discard handler is Vert.x's own hook for this (public on the implementation class); a consumer of another
    // kind is still unregistered, and any warning it logs again is caught by the log test
    if (subscription instanceof MessageConsumerImpl<?> consumer) consumer.discardHandler(message -> { });
    subscription.unregister();
  }
}
