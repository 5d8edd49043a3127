package io.ninetail.api;

import java.util.Arrays;

/**
 * Whether an IP address, written as a socket reports it (Vert.x' {@code SocketAddress.hostAddress()}),
 * is loopback: what {@link java.net.InetAddress#isLoopbackAddress} says of it, decided from the text
 * alone, in one pass that allocates nothing for IPv4. {@link AccessGuard} asks on every request.
 *
 * <p>Loopback is IPv4 127.0.0.0/8, IPv6 {@code ::1}, and 127.0.0.0/8 mapped into IPv6
 * ({@code ::ffff:127.x.y.z}, which Java takes for the IPv4 address); IPv4-compatible
 * {@code ::127.0.0.1} is not, as for Java. A zone ({@code %lo}) or brackets around an IPv6 address
 * are ignored. Whatever is not an IP address, a host name among them, is not loopback: only a name
 * service could say what it is.
 */
final class Loopback {

    private static final int IPV6_GROUPS = 8;

    private Loopback() {
    }

    static boolean is(String address) {
        if (address == null) {
            return false;
        }
        int start = 0;
        int end = address.length();
        if (end > 2 && address.charAt(0) == '[' && address.charAt(end - 1) == ']') {
            start++;
            end--;
        }
        int zone = address.indexOf('%', start);
        if (zone >= 0 && zone < end) {
            end = zone;
        }
        int colon = address.indexOf(':', start);
        if (colon < 0 || colon >= end) {
            return ipv4(address, start, end) >>> 24 == 127;
        }
        int[] groups = ipv6(address, start, end);
        if (groups == null) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[5] == 0 && groups[6] == 0 && groups[7] == 1
                || groups[5] == 0xffff && groups[6] >>> 8 == 127;
    }

    /** The 32 bits of a dotted-quad IPv4 address in {@code text[start, end)}, or -1. */
    private static long ipv4(String text, int start, int end) {
        long address = 0;
        int octets = 0;
        int i = start;
        while (true) {
            int octet = 0;
            int digits = 0;
            while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + text.charAt(i++) - '0';
                if (++digits > 3) {
                    return -1;
                }
            }
            if (digits == 0 || octet > 255) {
                return -1;
            }
            address = address << 8 | octet;
            if (++octets == 4) {
                return i == end ? address : -1;
            }
            if (i == end || text.charAt(i++) != '.') {
                return -1;
            }
        }
    }

    /**
     * The eight 16-bit groups of an IPv6 address in {@code text[start, end)}, {@code ::} filled in
     * and a dotted IPv4 tail taken as two groups; null when it is not one.
     */
    private static int[] ipv6(String text, int start, int end) {
        int[] groups = new int[IPV6_GROUPS];
        int count = 0;
        int gap = -1;
        int i = start;
        if (text.startsWith("::", i)) {
            gap = 0;
            i += 2;
        }
        while (i < end) {
            int groupStart = i;
            int value = 0;
            int digits = 0;
            while (i < end && hex(text.charAt(i)) >= 0) {
                value = value << 4 | hex(text.charAt(i++));
                if (++digits > 4) {
                    return null;
                }
            }
            if (i < end && text.charAt(i) == '.') {
                long ipv4 = ipv4(text, groupStart, end);
                if (ipv4 < 0 || count > IPV6_GROUPS - 2) {
                    return null;
                }
                groups[count++] = (int) (ipv4 >>> 16);
                groups[count++] = (int) (ipv4 & 0xffff);
                break;
            }
            if (digits == 0 || count == IPV6_GROUPS) {
                return null;
            }
            groups[count++] = value;
            if (i == end) {
                break;
            }
            if (text.charAt(i++) != ':' || i == end) {
                return null;
            }
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            }
        }
        if (gap < 0) {
            return count == IPV6_GROUPS ? groups : null;
        }
        if (count == IPV6_GROUPS) {
            // "::" stands for at least one group of zeros
            return null;
        }
        int after = count - gap;
        System.arraycopy(groups, gap, groups, IPV6_GROUPS - after, after);
        Arrays.fill(groups, gap, IPV6_GROUPS - after, 0);
        return groups;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
