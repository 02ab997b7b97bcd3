package dev.rotation.local;

import java.util.Arrays;

/**
 * Command-line entry point of {@code rotation-local.jar}: dispatches to one command class per
 * subcommand and keeps nothing else here.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code = switch (args[0]) {
            case "serve" -> ServeCommand.run(rest);
            case "help", "--help", "-h" -> {
                usage();
                yield 0;
            }
            default -> {
                System.err.println("unknown command: " + args[0]);
                usage();
                yield 2;
            }
        };
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void usage() {
        System.err.println("usage: java -jar rotation-local.jar serve [--host 127.0.0.1] [--port 4566] [--data-dir DIR]");
    }
}
