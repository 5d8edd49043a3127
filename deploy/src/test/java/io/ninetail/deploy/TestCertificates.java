package io.ninetail.deploy;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A throw-away CA and a certificate it signs for 127.0.0.1/localhost, usable by servers and, for
 * mutual TLS between cluster nodes, as a client: what the Secret nats-tls holds in a cluster
 * (tls.crt, tls.key, ca.crt), written as PEM files the way Kubernetes mounts them. Made in the
 * test, with BouncyCastle: no openssl needed.
 */
final class TestCertificates {

    final Path dir;
    final Path caCert;
    final Path cert;
    final Path key;
    private final X509Certificate ca;

    private TestCertificates(Path dir, X509Certificate ca) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.crt");
        this.cert = dir.resolve("tls.crt");
        this.key = dir.resolve("tls.key");
        this.ca = ca;
    }

    static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("ninetail-tls-");
            KeyPair caKeys = keys();
            X500Name caName = new X500Name("CN=Ninetail test CA");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), caName, caKeys.getPublic());
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(caBuilder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));

            KeyPair serverKeys = keys();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=nats"), serverKeys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            X509Certificate server = sign(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));

            TestCertificates certificates = new TestCertificates(dir, ca);
            Files.writeString(certificates.caCert, pem(ca));
            Files.writeString(certificates.cert, pem(server));
            Files.writeString(certificates.key, pem(serverKeys.getPrivate()));
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not make test certificates", e);
        }
    }

    /** A client context that trusts this CA only. */
    SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
