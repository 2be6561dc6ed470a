package dev.tokenward.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one digest the kit uses: token hashes, {@code at_hash}, {@code ath} and user ids. */
final class Sha256 {

    private Sha256() {
    }

    static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform must have SHA-256
        }
    }

    /** Hex of the digest of the UTF-8 text: how tokens are kept, never in the clear. */
    static String hex(String text) {
        return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
