package io.ninetail.fetch;

import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.fetch.TargetGuard.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses the SSRF guard lets fetch connect to. */
class TargetGuardTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "93.184.215.14, PUBLIC",
            "8.8.8.8, PUBLIC",
            "172.32.0.1, PUBLIC",
            "100.128.0.1, PUBLIC",
            "2606:4700::1111, PUBLIC",
            "127.0.0.1, LOOPBACK",
            "127.255.0.9, LOOPBACK",
            "::1, LOOPBACK",
            "10.1.2.3, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.254, PRIVATE",
            "192.168.1.1, PRIVATE",
            "100.64.0.1, PRIVATE",
            "fd12:3456::1, PRIVATE",
            "fc00::1, PRIVATE",
            "fec0::1, PRIVATE",
            "169.254.10.20, LINK_LOCAL",
            "fe80::1, LINK_LOCAL",
            "169.254.169.254, METADATA",
            "fd00:ec2::254, METADATA",
            "100.100.100.200, METADATA",
            "0.0.0.0, NOT_A_HOST",
            "::, NOT_A_HOST",
            "224.0.0.1, NOT_A_HOST",
            "255.255.255.255, NOT_A_HOST",
            "ff02::1, NOT_A_HOST",
            // IPv4 inside IPv6 is judged as the IPv4 address it carries
            "::ffff:169.254.169.254, METADATA",
            "::ffff:10.0.0.1, PRIVATE",
            "::127.0.0.1, LOOPBACK",
            "64:ff9b::a00:1, PRIVATE",
            "2002:7f00:1::, LOOPBACK",
            "2002:5db8:d70e::, PUBLIC",
    })
    void addressesAreClassified(String address, Kind kind) throws Exception {
        assertEquals(kind, TargetGuard.classify(InetAddress.getByName(address)));
    }

    @Test
    void byDefaultOnlyPublicAddressesAreAllowed() {
        TargetGuard guard = new TargetGuard(false, false);
        assertTrue(guard.allowed(Kind.PUBLIC));
        for (Kind kind : List.of(Kind.LOOPBACK, Kind.PRIVATE, Kind.LINK_LOCAL, Kind.METADATA, Kind.NOT_A_HOST)) {
            assertFalse(guard.allowed(kind), kind.name());
        }
    }

    @Test
    void configurationAllowsLoopbackAndPrivateButNeverLinkLocalOrMetadata() {
        TargetGuard guard = new TargetGuard(true, true);
        assertTrue(guard.allowed(Kind.LOOPBACK));
        assertTrue(guard.allowed(Kind.PRIVATE));
        assertFalse(guard.allowed(Kind.LINK_LOCAL));
        assertFalse(guard.allowed(Kind.METADATA));
        assertFalse(guard.allowed(Kind.NOT_A_HOST));
    }

    @Test
    void aRefusalNamesTheHostTheAddressAndTheSettingThatWouldAllowIt() {
        TargetGuard guard = new TargetGuard(false, false, fixed(Map.of("intranet.example", "10.0.0.7")));
        BlockError error = assertThrows(BlockFailure.class,
                () -> guard.resolve("intranet.example", "GET http://intranet.example/")).error();
        assertEquals("BLOCKED_TARGET", error.code());
        assertFalse(error.retryable());
        assertEquals("GET http://intranet.example/: refused: intranet.example is 10.0.0.7, which is a private address"
                + " (a deployment may allow it with ninetail.fetch.allow-private=true)", error.message());
        assertEquals(Map.of("host", "intranet.example", "address", "10.0.0.7", "kind", "private"), error.details());
    }

    @Test
    void theMetadataHostNameIsRefusedWithoutEvenResolvingIt() {
        List<String> lookedUp = new ArrayList<>();
        TargetGuard guard = new TargetGuard(true, true, host -> {
            lookedUp.add(host);
            throw new UnknownHostException(host);
        });
        BlockError error = assertThrows(BlockFailure.class,
                () -> guard.resolve("metadata.google.internal", "GET http://metadata.google.internal/")).error();
        assertEquals("BLOCKED_TARGET", error.code());
        assertEquals("metadata", error.details().get("kind"));
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsRefused() {
        TargetGuard guard = new TargetGuard(false, false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1")});
        BlockError error = assertThrows(BlockFailure.class,
                () -> guard.resolve("two-faced.example", "GET http://two-faced.example/")).error();
        assertEquals("loopback", error.details().get("kind"));
    }

    @Test
    void theAddressToConnectToIsTheCheckedOneWithoutItsName() throws Exception {
        TargetGuard guard = new TargetGuard(false, false, fixed(Map.of("site.example", "93.184.215.14")));
        InetAddress address = guard.resolve("site.example", "GET http://site.example/");
        assertArrayEquals(new byte[]{93, (byte) 184, (byte) 215, 14}, address.getAddress());
        assertEquals("/93.184.215.14", address.toString(), "no name left that could be looked up again");
    }

    @Test
    void anUnknownNameIsAnUnknownHost() {
        TargetGuard guard = new TargetGuard(false, false);
        assertThrows(UnknownHostException.class, () -> guard.resolve("nothing.invalid", "GET http://nothing.invalid/"));
    }

    static TargetGuard.Resolver fixed(Map<String, String> addresses) {
        return host -> {
            String address = addresses.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getByName(address)};
        };
    }
}
