package io.ninetail.fetch;

import io.ninetail.core.block.BlockFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SSRF guard: which addresses fetch may connect to.
 *
 * <p>Fetch resolves every host itself, here, and then connects to exactly the address that was
 * checked (with the name still in the {@code Host} header and TLS SNI), so a DNS answer that
 * changes between the check and the connection (DNS rebinding) cannot reach anything the check
 * refused. Every redirect hop is resolved and checked again.
 *
 * <p>Refused unless configuration allows them:
 * <ul>
 *   <li>loopback ({@code 127.0.0.0/8}, {@code ::1}): {@code ninetail.fetch.allow-loopback=true};</li>
 *   <li>private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, carrier-grade NAT
 *       {@code 100.64/10}, unique-local {@code fc00::/7}, site-local {@code fec0::/10}):
 *       {@code ninetail.fetch.allow-private=true}.</li>
 * </ul>
 * Always refused: link-local ({@code 169.254/16}, {@code fe80::/10}), cloud metadata endpoints
 * ({@code 169.254.169.254}, {@code fd00:ec2::254}, {@code 100.100.100.200},
 * {@code metadata.google.internal}), and addresses that are not one host
 * ({@code 0.0.0.0/8}, {@code ::}, multicast, {@code 240/4}, broadcast). IPv4 addresses embedded in
 * IPv6 (mapped {@code ::ffff:a.b.c.d}, compatible, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) are judged as the IPv4 address they carry. A name is refused when any of
 * its addresses is.
 */
@ApplicationScoped
public class TargetGuard {

    static final String BLOCKED_TARGET = "BLOCKED_TARGET";

    /** What an address is, as far as the guard cares. */
    enum Kind {
        PUBLIC("a public address"),
        LOOPBACK("a loopback address"),
        PRIVATE("a private address"),
        LINK_LOCAL("a link-local address"),
        METADATA("a cloud metadata endpoint"),
        NOT_A_HOST("not a single host's address (unspecified, multicast or reserved)");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal");
    private static final byte[] AWS_METADATA_V6 = address("fd00:ec2::254");

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Resolver resolver;

    @Inject
    public TargetGuard(@ConfigProperty(name = "ninetail.fetch.allow-loopback", defaultValue = "false") boolean allowLoopback,
                       @ConfigProperty(name = "ninetail.fetch.allow-private", defaultValue = "false") boolean allowPrivate) {
        this(allowLoopback, allowPrivate, InetAddress::getAllByName);
    }

    TargetGuard(boolean allowLoopback, boolean allowPrivate, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * Resolves {@code host} (blocking: call it off the event loop) and returns the address to
     * connect to.
     *
     * @param target for messages, e.g. {@code GET http://10.0.0.1/}
     * @throws BlockFailure {@code BLOCKED_TARGET} when the name or any of its addresses is refused
     * @throws UnknownHostException when the name does not resolve
     */
    InetAddress resolve(String host, String target) throws UnknownHostException {
        if (METADATA_NAMES.contains(host)) {
            throw blocked(target, host, null, Kind.METADATA);
        }
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Kind kind = classify(address);
            if (!allowed(kind)) {
                throw blocked(target, host, address, kind);
            }
        }
        // Connect by address only: the name stays in the Host header and SNI.
        return InetAddress.getByAddress(addresses[0].getAddress());
    }

    boolean allowed(Kind kind) {
        return switch (kind) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            case LINK_LOCAL, METADATA, NOT_A_HOST -> false;
        };
    }

    static Kind classify(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? classify4(b, 0) : classify6(b);
    }

    private static Kind classify6(byte[] b) {
        if (java.util.Arrays.equals(b, AWS_METADATA_V6)) {
            return Kind.METADATA;
        }
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            // :: and ::1, else an IPv4-compatible address ::a.b.c.d
            boolean zeroUpTo15 = true;
            for (int i = 12; i < 15; i++) {
                zeroUpTo15 &= b[i] == 0;
            }
            if (zeroUpTo15 && b[15] == 0) {
                return Kind.NOT_A_HOST;
            }
            if (zeroUpTo15 && b[15] == 1) {
                return Kind.LOOPBACK;
            }
            return classify4(b, 12);
        }
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classify4(b, 12); // IPv4-mapped
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && java.util.stream.IntStream.range(4, 12).allMatch(i -> b[i] == 0)) {
            return classify4(b, 12); // NAT64 64:ff9b::/96
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return classify4(b, 2); // 6to4 2002:a.b.c.d::/48
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Kind.LINK_LOCAL;
        }
        if ((first & 0xfe) == 0xfc || first == 0xfe && (second & 0xc0) == 0xc0) {
            return Kind.PRIVATE;
        }
        if (first == 0xff) {
            return Kind.NOT_A_HOST;
        }
        return Kind.PUBLIC;
    }

    private static Kind classify4(byte[] bytes, int at) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        int c = bytes[at + 2] & 0xff;
        int d = bytes[at + 3] & 0xff;
        if (a == 169 && b == 254 && c == 169 && d == 254 || a == 100 && b == 100 && c == 100 && d == 200) {
            return Kind.METADATA;
        }
        if (a == 0 || a >= 224) {
            return Kind.NOT_A_HOST;
        }
        if (a == 127) {
            return Kind.LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return Kind.LINK_LOCAL;
        }
        if (a == 10 || a == 172 && (b & 0xf0) == 16 || a == 192 && b == 168 || a == 100 && (b & 0xc0) == 64) {
            return Kind.PRIVATE;
        }
        return Kind.PUBLIC;
    }

    private static BlockFailure blocked(String target, String host, InetAddress address, Kind kind) {
        String what = address == null ? host : address.getHostAddress();
        String how = switch (kind) {
            case LOOPBACK -> " (a deployment may allow it with ninetail.fetch.allow-loopback=true)";
            case PRIVATE -> " (a deployment may allow it with ninetail.fetch.allow-private=true)";
            default -> "";
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("host", host);
        if (address != null) {
            details.put("address", address.getHostAddress());
        }
        details.put("kind", kind.label());
        return BlockFailure.of(BLOCKED_TARGET, target + ": refused: " + (what.equals(host) ? host : host + " is " + what
                + ", which") + " is " + kind.description + how, false, details);
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
