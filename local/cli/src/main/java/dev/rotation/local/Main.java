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
            // invoke and demo end with System.exit: database servers and warm JVMs must not keep us alive.
            case "invoke" -> exit(InvokeCommand.run(rest, System.out, System.err));
            case "demo" -> exit(DemoCommand.run(rest, System.out, System.err));
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

    private static int exit(int code) {
        System.out.flush();
        System.exit(code);
        return code;
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar rotation-local.jar COMMAND ...
                  demo   [--template template.yaml] [--verbose]
                         rotates a MySQL-compatible and a PostgreSQL user's password end to end, locally
                  serve  [--host 127.0.0.1] [--port 4566] [--data-dir DIR] [--template template.yaml]
                         [--env-vars ENV.json] [--idle-timeout SECONDS] [--allow-remote] [--allowed-host NAME]
                         the local Secrets Manager; RotateSecret runs the template's functions; loopback
                         only unless --allow-remote (which serves every secret, unauthenticated, to the network)
                  invoke FUNCTION -e EVENT.json [-e EVENT2.json ...] [--env-vars ENV.json] [--template template.yaml]
                         runs a function of the template once per event under the Lambda Java runtime""");
    }
}
