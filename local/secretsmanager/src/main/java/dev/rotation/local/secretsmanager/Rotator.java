package dev.rotation.local.secretsmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs rotations in the background the way the service does: the four steps in order through the
 * {@link RotationInvoker}, the whole rotation retried with the same token when a step fails, up to
 * a bound, and AWSPENDING left where it is when it gives up. One log line per step and outcome;
 * failure reasons are scrubbed of the secret's values.
 */
final class Rotator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.rotation.local.secretsmanager.rotation");
    private static final List<String> STEPS = List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET,
            RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET);

    private final SecretStore store;
    private final AuditTrail audit;
    private final RotationInvoker invoker;
    private final int maxAttempts;
    private final Duration stepTimeout;
    private final ExecutorService executor;
    /** Runs the steps themselves, so a step that outlives its timeout can be abandoned like a timed-out Lambda. */
    private final ExecutorService steps;
    private final Object idle = new Object();
    private final AtomicInteger running = new AtomicInteger();

    Rotator(SecretStore store, AuditTrail audit, RotationInvoker invoker, int maxAttempts, Duration stepTimeout) {
        this.store = store;
        this.audit = audit;
        this.invoker = invoker != null ? invoker : Rotator::noFunction;
        this.maxAttempts = maxAttempts;
        this.stepTimeout = stepTimeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "secretsmanager-rotation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger m = new AtomicInteger();
        this.steps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "secretsmanager-rotation-step-" + m.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Invokes one step, failing it like Lambda's "Task timed out" when it runs past the timeout, and
     * records the invocation as Lambda's Invoke event by secretsmanager.amazonaws.com.
     */
    private void invokeStep(String lambdaArn, RotationStep step) throws Exception {
        Instant at = store.now();
        String functionError = "Unhandled";
        try {
            call(lambdaArn, step);
            functionError = null;
        } finally {
            audit.record(AuditEvent.lambdaInvoke(at, store.region(), lambdaArn, step.secretId(), step.step(),
                    step.clientRequestToken(), functionError, store.accountId()));
        }
    }

    private void call(String lambdaArn, RotationStep step) throws Exception {
        Future<Void> f = steps.submit(() -> {
            invoker.invoke(lambdaArn, step);
            return null;
        });
        try {
            f.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException(String.format(Locale.ROOT, "Task timed out after %.2f seconds",
                    stepTimeout.toMillis() / 1000.0));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    private static void noFunction(String arn, RotationStep step) {
        throw new IllegalStateException("no function: this server has no rotation invoker, so the rotation function "
                + arn + " cannot be invoked");
    }

    void submit(SecretStore.RotationTicket ticket) {
        if (!ticket.run()) {
            return;
        }
        running.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    run(ticket);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "rotation of " + ticket.arn() + " stopped unexpectedly", e);
                } finally {
                    done();
                }
            });
        } catch (RuntimeException rejected) {
            done();
            throw rejected;
        }
    }

    /** Starts what the schedules say is due now; returns how many rotations started. */
    int runDue() {
        List<SecretStore.RotationTicket> due = store.startDueRotations(
                why -> LOG.log(System.Logger.Level.WARNING, "scheduled rotation skipped: " + oneLine(why)));
        due.forEach(t -> {
            LOG.log(System.Logger.Level.INFO, "scheduled rotation of " + t.arn() + " version " + t.versionId());
            submit(t);
        });
        return due.size();
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    private void done() {
        running.decrementAndGet();
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private void run(SecretStore.RotationTicket t) {
        store.serviceEvent(t.testOnly() ? "TestRotationStarted" : "RotationStarted", t.arn(), t.versionId());
        List<String> steps = t.testOnly() ? List.of(RotationStep.TEST_SECRET) : STEPS;
        int attempts = t.testOnly() ? 1 : maxAttempts;
        String failedStep = null;
        String reason = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            failedStep = null;
            for (String step : steps) {
                if (!store.rotationActive(t)) {
                    log(t, attempt, attempts, step, "cancelled (rotation turned off or secret deleted)");
                    finish(t, RotationOutcome.CANCELLED, step, attempt, "rotation was cancelled or the secret deleted");
                    return;
                }
                store.recordOutcome(t, new RotationOutcome(t.versionId(), RotationOutcome.IN_PROGRESS, step, attempt,
                        null, store.now()));
                try {
                    invokeStep(t.lambdaArn(), new RotationStep(step, t.arn(), t.versionId(), t.rotationToken()));
                    log(t, attempt, attempts, step, "succeeded");
                } catch (Throwable e) { // a rotation function may fail in any way; the server must go on
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    failedStep = step;
                    reason = store.scrub(t.arn(), describe(e));
                    log(t, attempt, attempts, step, "failed: " + reason);
                    break;
                }
            }
            if (failedStep == null) {
                String status = t.testOnly() ? RotationOutcome.TEST_SUCCEEDED : RotationOutcome.SUCCEEDED;
                LOG.log(System.Logger.Level.INFO, "rotation of " + t.arn() + " version " + t.versionId() + ": "
                        + status + " after " + attempt + " attempt(s)");
                finish(t, status, null, attempt, null);
                store.serviceEvent(t.testOnly() ? "TestRotationSucceeded" : "RotationSucceeded", t.arn(),
                        t.versionId());
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        String status = t.testOnly() ? RotationOutcome.TEST_FAILED : RotationOutcome.FAILED;
        LOG.log(System.Logger.Level.WARNING, "rotation of " + t.arn() + " version " + t.versionId() + ": " + status
                + " after " + attempts + " attempt(s) at step " + failedStep + "; AWSPENDING stays on version "
                + t.versionId() + ": " + reason);
        finish(t, status, failedStep, attempts, reason);
        store.serviceEvent(t.testOnly() ? "TestRotationFailed" : "RotationFailed", t.arn(), t.versionId());
    }

    private void finish(SecretStore.RotationTicket t, String status, String step, int attempts, String reason) {
        store.recordOutcome(t, new RotationOutcome(t.versionId(), status, step, attempts, reason, store.now()));
    }

    private static void log(SecretStore.RotationTicket t, int attempt, int of, String step, String what) {
        LOG.log(System.Logger.Level.INFO, "rotation of " + t.arn() + " version " + t.versionId() + " attempt "
                + attempt + "/" + of + " step " + step + ": " + what);
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return oneLine(msg == null || msg.isBlank() ? e.getClass().getName() : msg);
    }

    private static String oneLine(String s) {
        String flat = s.replace('\r', ' ').replace('\n', ' ');
        return flat.length() > 1000 ? flat.substring(0, 1000) + "..." : flat;
    }

    @Override
    public void close() {
        steps.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
