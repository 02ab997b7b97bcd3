package dev.rotation.local;

public final class Main {
    public static void main(String[] args) {
        System.err.println("not yet implemented");
        System.exit(2);
    }
}
