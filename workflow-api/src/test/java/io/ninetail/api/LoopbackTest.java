package io.ninetail.api;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loopback or not, from the address as text: what AccessGuard lets in without keys. */
class LoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "0:0:0:0:0:0:0:1",
            "0000:0000:0000:0000:0000:0000:0000:0001", "0::0:1", "::ffff:127.0.0.1", "0:0:0:0:0:ffff:127.0.0.1",
            "::FFFF:127.9.8.7", "::ffff:7f00:1", "[::1]", "0:0:0:0:0:0:0:1%lo", "0:0:0:0:0:0:0:1%0"})
    void loopbackAddressesAreLoopback(String address) {
        assertTrue(Loopback.is(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "128.0.0.1", "126.255.255.255", "0.0.0.0", "::ffff:10.0.0.1",
            "::ffff:128.0.0.1", "::", "::2", "1::1", "fe80::1", "fe80::1%eth0", "0:0:0:0:0:1:0:1",
            "::127.0.0.1", "2001:db8::7f00:1"})
    void otherAddressesAreNot(String address) {
        assertFalse(Loopback.is(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "127.0.0", "127.0.0.1.1", "127.0.0.256", "127.0.0.-1", "127..0.1",
            "127.0.0.1 ", " 127.0.0.1", "127.0.0.0x1", "127.0.0.١", ":::1", "::1::", ":1", "1:", "0:0:0:0:0:0:0:0:1",
            "0:0:0:0:0:0:1", "::00001", "::g", "::+1", "[::1", "::1]", "127.0.0.1::", "::ffff:127.0.0.1:1",
            "::ffff:127.0.0.256", "%lo"})
    void whatIsNoAddressIsNotLoopback(String text) {
        assertFalse(Loopback.is(text), text);
    }

    @Test
    void noAddressIsNotLoopback() {
        assertFalse(Loopback.is(null));
        assertFalse(AccessGuard.fromLoopback(null));
    }

    /** Java parses these literals itself, without asking a name service. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "192.168.1.1", "0.0.0.0", "255.255.255.255",
            "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "::",
            "::2", "fe80::1", "2001:db8::1", "0:0:0:0:0:ffff:127.0.0.1", "[::1]"})
    void agreesWithJava(String literal) throws UnknownHostException {
        assertEquals(InetAddress.getByName(literal).isLoopbackAddress(), Loopback.is(literal), literal);
    }

    /** The text AccessGuard gets: what Vert.x reports of a connection's remote end. */
    @Test
    void readsTheAddressesVertxReports() throws UnknownHostException {
        assertTrue(AccessGuard.fromLoopback(remote(InetAddress.getByName("127.0.0.1"))));
        assertTrue(AccessGuard.fromLoopback(remote(InetAddress.getByName("::1"))));
        assertFalse(AccessGuard.fromLoopback(remote(InetAddress.getByName("192.168.1.1"))));
        assertFalse(AccessGuard.fromLoopback(remote(InetAddress.getByName("fe80::1"))));
    }

    private static SocketAddress remote(InetAddress address) {
        return SocketAddress.inetSocketAddress(new InetSocketAddress(address, 50000));
    }
}
