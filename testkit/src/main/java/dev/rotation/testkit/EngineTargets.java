package dev.rotation.testkit;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the engine module under test: exactly one {@link EngineTarget} on the test class path,
 * registered with {@link ServiceLoader}. Anything else is a build mistake, reported loudly: a
 * contract must never pass by testing nothing.
 */
public final class EngineTargets {
    private static volatile EngineTarget current;

    private EngineTargets() {
    }

    /** The one registered target, created once per JVM. */
    public static EngineTarget current() {
        EngineTarget target = current;
        if (target == null) {
            synchronized (EngineTargets.class) {
                target = current;
                if (target == null) {
                    List<EngineTarget> found = ServiceLoader.load(EngineTarget.class).stream()
                            .map(ServiceLoader.Provider::get).toList();
                    if (found.size() != 1) {
                        throw new IllegalStateException("expected exactly one " + EngineTarget.class.getName()
                                + " registered in META-INF/services of the module under test, found " + found.size()
                                + ": " + found.stream().map(t -> t.getClass().getName()).toList());
                    }
                    target = found.get(0);
                    current = target;
                }
            }
        }
        return target;
    }
}
