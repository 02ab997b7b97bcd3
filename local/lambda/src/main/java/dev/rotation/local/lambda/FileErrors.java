package dev.rotation.local.lambda;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason an I/O operation failed, worded as the C library words errno ("No such file or directory",
 * "Permission denied", "Address already in use"), for one-line error messages that already name the file.
 * NIO's exceptions carry only the file name as their message, and {@code java.io}'s add the reason in
 * parentheses.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** The reason alone, without the file name. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "Too many levels of symbolic links";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        if (e instanceof FileNotFoundException && message != null && message.endsWith(")") && message.contains(" (")) {
            // "template.yaml (No such file or directory)"
            return message.substring(message.lastIndexOf(" (") + 2, message.length() - 1);
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
