package app.noom.logscan;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The run's class order, unchanged, except that {@link LogSecretsScanTest} goes last, so that it scans what every
 * other test class of the JVM logged (surefire runs all classes of a fork in one JUnit launch). A stable sort: the
 * other classes keep the order they came in.
 */
public final class LogScanRunsLast implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(
                        (ClassDescriptor d) -> d.getTestClass() == LogSecretsScanTest.class ? 1 : 0));
    }
}
