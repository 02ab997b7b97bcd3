package dev.rotation.client;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * An application's thread pool: each thread keeps taking a connection from a DataSource, running a
 * query and giving the connection back, until stopped. Counts queries that succeeded and keeps the
 * failures.
 */
final class ApplicationLoad implements AutoCloseable {
    private final DataSource dataSource;
    private final ExecutorService threads;
    private final List<Future<?>> workers = new ArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Object progress = new Object();
    private long succeeded;
    private long finished;
    private volatile boolean running = true;

    private ApplicationLoad(DataSource dataSource, int threadCount) {
        this.dataSource = dataSource;
        this.threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            workers.add(threads.submit(this::work));
        }
    }

    static ApplicationLoad start(DataSource dataSource, int threads) {
        return new ApplicationLoad(dataSource, threads);
    }

    private Void work() {
        while (running) {
            boolean ok = false;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                ok = rs.next() && rs.getInt(1) == 1;
                if (!ok) {
                    failures.add(new AssertionError("SELECT 1 did not return 1"));
                }
            } catch (Exception e) {
                failures.add(e);
            }
            synchronized (progress) {
                finished++;
                if (ok) {
                    succeeded++;
                }
                progress.notifyAll();
            }
        }
        return null;
    }

    long succeeded() {
        synchronized (progress) {
            return succeeded;
        }
    }

    /** Waits until {@code more} further queries have finished (successfully or not). */
    void awaitMoreQueries(long more, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long target = finished + more;
            while (finished < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the application finished only " + (finished - target + more)
                            + " of " + more + " queries within " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Stops the threads after their current query and waits for them. */
    @Override
    public void close() {
        running = false;
        for (Future<?> f : workers) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        threads.shutdownNow();
    }
}
