package dev.rotation.local;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: runs the local Secrets Manager until SIGTERM or Ctrl-C, printing the endpoint URL
 * once it accepts requests.
 */
final class ServeCommand {
    private ServeCommand() {
    }

    static int run(String[] args) {
        LocalSecretsManager.Builder builder = LocalSecretsManager.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                System.err.println("serve: " + option + " needs a value");
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> builder.host(value);
                case "--port" -> {
                    try {
                        builder.port(Integer.parseInt(value));
                    } catch (IllegalArgumentException e) {
                        System.err.println("serve: --port must be a number from 0 to 65535, got " + value);
                        return 2;
                    }
                }
                case "--data-dir" -> builder.dataDir(Path.of(value));
                default -> {
                    System.err.println("serve: unknown option " + option);
                    return 2;
                }
            }
        }
        LocalSecretsManager server = builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "secretsmanager-shutdown"));
        System.out.println("Secrets Manager listening on " + server.endpoint());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
