package dev.rotation.local.secretsmanager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secret values, standing in for the KMS key the service encrypts with. Each
 * value gets a fresh 96-bit nonce; the secret's ARN and version id are bound in as associated
 * data, so a ciphertext copied to another version fails to decrypt instead of changing its value.
 */
final class ValueCipher {
    static final String KEY_FILE = "master.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private ValueCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the key from {@code dir/master.key}, creating a random one (mode 600) on first use. */
    static ValueCipher openOrCreate(Path dir) {
        Path file = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(dir, KEY_FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, fresh);
                FileStore.fsync(tmp);
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException raced) {
                    // Another process created the key first; use that one.
                } finally {
                    Files.delete(tmp);
                }
                FileStore.fsync(dir);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) {
                throw new IllegalStateException("The key file " + file + " must hold 32 bytes, it holds " + key.length
                        + "; restore it from backup or remove the data directory.");
            }
            return new ValueCipher(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the key file " + file, e);
        }
    }

    String encrypt(SecretValue value, String arn, String versionId) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(arn, versionId));
            byte[] ct = c.doFinal(value.toBytes());
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw ServiceException.of("EncryptionFailure", "Encrypting the secret value failed: " + e.getClass().getSimpleName());
        }
    }

    SecretValue decrypt(String sealed, String arn, String versionId) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(aad(arn, versionId));
            return SecretValue.fromBytes(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw ServiceException.of("DecryptionFailure", "Decrypting version " + versionId + " of " + arn
                    + " failed (wrong key file or altered data): " + e.getClass().getSimpleName());
        }
    }

    private static byte[] aad(String arn, String versionId) {
        return (arn + "\n" + versionId).getBytes(StandardCharsets.UTF_8);
    }
}
