package app.noom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AddressKeyTest {

    @Test
    void ipv4IsItsOwnKeyWithOrWithoutPort() {
        assertEquals("192.0.2.7", AddressKey.of("192.0.2.7"));
        assertEquals("192.0.2.7", AddressKey.of("192.0.2.7:40123"));
    }

    @Test
    void ipv6CountsPerSlash64HoweverItIsWritten() {
        String key = AddressKey.of("2001:db8:0:0:1::1");
        assertEquals("2001:0db8:0000:0000::/64", key);
        assertEquals(key, AddressKey.of("2001:db8::ffff"), "compressed zeros: the same /64");
        assertEquals(key, AddressKey.of("[2001:db8::2]:443"), "bracketed with a port");
        assertEquals(key, AddressKey.of("[2001:db8::3]"));
        assertNotEquals(key, AddressKey.of("2001:db8:0:1::1"), "the neighbouring /64");
    }

    @Test
    void missingAddressHasOneKey() {
        assertEquals("unknown", AddressKey.of(null));
        assertEquals("unknown", AddressKey.of(""));
    }
}
