package io.ninetail.api;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Run ids: 26 characters, the creation time in milliseconds then 80 random bits, in Crockford's
 * base32 (a ULID). They sort by creation time as plain strings, which is how {@code GET /runs}
 * lists newest first and pages with a cursor, and they are one NATS subject token.
 */
final class RunIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    static String next(Instant now) {
        char[] id = new char[26];
        long time = now.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 5; i++) {
            high = high << 8 | (random[i] & 0xff);
            low = low << 8 | (random[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            id[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(id);
    }
}
