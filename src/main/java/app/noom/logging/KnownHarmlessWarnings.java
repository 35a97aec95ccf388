package app.noom.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops library warnings that are known to be false alarms in Noom's normal operation, each matched narrowly (logger,
 * level and message start), so that a WARN line always deserves an operator's attention.
 *
 * <p>Micrometer (since 1.13.9) warns when a gauge is registered twice. vertx-micrometer-metrics 5 registers its
 * connection gauges again for every new connection and server instance on purpose: the gauge reads a counter kept
 * per meter id, shared by all registrations, so the ignored registration loses nothing
 * (vert-x3/vertx-micrometer-metrics issue 259). Only Vert.x's own meters ({@code vertx.*}) are matched: a double
 * registration of Noom's meters still warns.
 */
final class KnownHarmlessWarnings extends TurboFilter {
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    static final String VERTX_GAUGE_REGISTERED_AGAIN = "This Gauge has been already registered (MeterId{name='vertx.";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.WARN
                && format != null
                && METER_REGISTRY.equals(logger.getName())
                && format.startsWith(VERTX_GAUGE_REGISTERED_AGAIN)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
