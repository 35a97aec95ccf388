package app.noom.integration.turn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TURN client over TLS (RFC 5766 Allocate with long-term credentials, RFC 5389 framing on a stream), written out
 * here because {@code turnutils_uclient -S} hangs or resets against coturn 4.6 on this machine. It trusts exactly
 * one certificate and verifies the host name, as a browser does for a {@code turns:} URL.
 */
final class TurnTlsClient {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int ALLOCATE_REQUEST = 0x0003;
    static final int ALLOCATE_SUCCESS = 0x0103;
    static final int ALLOCATE_ERROR = 0x0113;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int REALM = 0x0014;
    private static final int NONCE = 0x0015;
    private static final int XOR_RELAYED_ADDRESS = 0x0016;
    private static final int REQUESTED_TRANSPORT = 0x0019;
    private static final int UDP = 17;
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(10);

    /** The final Allocate answer: its type, ERROR-CODE (0 on success) and whether a relayed address came back. */
    record Answer(int type, int errorCode, boolean relayed, String tlsProtocol) {}

    private TurnTlsClient() {}

    /** Connects over TLS to 127.0.0.1:port naming {@code host} (SNI + verification), then allocates a UDP relay. */
    static Answer allocate(int port, Path trustedCert, String host, String username, String password)
            throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(port, trustedCert, host)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(request(Map.of()));
            Map<Integer, byte[]> challenge = read(in);
            if (errorCode(challenge) != 401)
                throw new IOException("expected a 401 challenge, got " + errorCode(challenge));
            byte[] realm = challenge.get(REALM);
            Map<Integer, byte[]> signed = new HashMap<>();
            signed.put(USERNAME, username.getBytes(StandardCharsets.UTF_8));
            signed.put(REALM, realm);
            signed.put(NONCE, challenge.get(NONCE));
            byte[] key = MessageDigest.getInstance("MD5")
                    .digest((username + ":" + new String(realm, StandardCharsets.UTF_8) + ":" + password)
                            .getBytes(StandardCharsets.UTF_8));
            out.write(withIntegrity(request(signed), key));
            Map<Integer, byte[]> answer = read(in);
            return new Answer(
                    answer.get(-1)[0] << 8 | answer.get(-1)[1] & 0xff,
                    errorCode(answer),
                    answer.containsKey(XOR_RELAYED_ADDRESS),
                    socket.getSession().getProtocol());
        }
    }

    /** Connection refused is retried until a deadline: the TLS listener may open a moment after the plain one. */
    private static SSLSocket connect(int port, Path trustedCert, String host)
            throws IOException, GeneralSecurityException {
        SSLContext context = trusting(trustedCert);
        long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        while (true) {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                SSLParameters params = socket.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(host)));
                params.setEndpointIdentificationAlgorithm(
                        "HTTPS"); // host name checked against the certificate, as browsers do
                socket.setSSLParameters(params);
                socket.startHandshake();
                return socket;
            } catch (ConnectException refused) {
                socket.close();
                if (System.nanoTime() > deadline) throw refused;
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval inside the deadline loop
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    private static SSLContext trusting(Path certFile) throws IOException, GeneralSecurityException {
        Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("turn", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** An Allocate request for a UDP relay carrying {@code attributes} (no MESSAGE-INTEGRITY yet). */
    private static byte[] request(Map<Integer, byte[]> attributes) {
        ByteBuffer body = ByteBuffer.allocate(1024);
        attribute(body, REQUESTED_TRANSPORT, new byte[] {UDP, 0, 0, 0});
        for (int type : List.of(USERNAME, REALM, NONCE)) {
            if (attributes.containsKey(type)) attribute(body, type, attributes.get(type));
        }
        byte[] txId = new byte[12];
        new SecureRandom().nextBytes(txId);
        ByteBuffer message = ByteBuffer.allocate(20 + body.position());
        message.putShort((short) ALLOCATE_REQUEST)
                .putShort((short) body.position())
                .putInt(MAGIC_COOKIE)
                .put(txId);
        message.put(body.array(), 0, body.position());
        return message.array();
    }

    /** RFC 5389 15.4: HMAC-SHA1 over the message with its length already counting the 24-byte attribute. */
    private static byte[] withIntegrity(byte[] message, byte[] key) throws GeneralSecurityException {
        ByteBuffer out = ByteBuffer.allocate(message.length + 24).put(message);
        out.putShort(2, (short) (message.length - 20 + 24));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        mac.update(out.array(), 0, message.length);
        out.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac.doFinal());
        return out.array();
    }

    private static void attribute(ByteBuffer body, int type, byte[] value) {
        body.putShort((short) type).putShort((short) value.length).put(value);
        while (body.position() % 4 != 0) body.put((byte) 0);
    }

    /** One STUN message from the stream: attributes by type; key -1 holds the two message-type bytes. */
    private static Map<Integer, byte[]> read(DataInputStream in) throws IOException {
        byte[] header = new byte[20];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        h.getShort();
        int length = h.getShort() & 0xffff;
        if (h.getInt() != MAGIC_COOKIE) throw new IOException("not a STUN message");
        byte[] body = new byte[length];
        in.readFully(body);
        Map<Integer, byte[]> attributes = new HashMap<>();
        attributes.put(-1, new byte[] {header[0], header[1]});
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.remaining() >= 4) {
            int type = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            byte[] value = new byte[len];
            b.get(value);
            b.position(Math.min(b.limit(), b.position() + (4 - len % 4) % 4));
            attributes.putIfAbsent(type, value);
        }
        return attributes;
    }

    private static int errorCode(Map<Integer, byte[]> attributes) {
        byte[] v = attributes.get(ERROR_CODE);
        return v == null ? 0 : (v[2] & 0x7) * 100 + (v[3] & 0xff);
    }
}
