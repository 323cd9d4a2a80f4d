package io.rbdstack.server.ca;

import io.rbdstack.protocol.tls.KeyPairs;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The management servers' certificate authority: a self-signed CA certificate and its key, which
 * issues the certificates of hosts and management servers. Immutable and thread-safe; where it is
 * kept is {@link CertificateAuthorityRepository}'s business.
 */
public final class CertificateAuthority {

    /** How long the CA itself is valid; renewing it means re-provisioning every host (docs/security.md). */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Certificates start a little in the past, so a host whose clock lags accepts them at once. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new CA named {@code CN=<commonName>}, valid {@link #CA_VALIDITY} from now. */
    public static CertificateAuthority generate(String commonName, Clock clock) {
        KeyPair keys = KeyPairs.generate();
        X500Name name = name(commonName);
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, newSerial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), clock);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot make the CA certificate", e);
        }
    }

    /** The CA kept from an earlier start. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        return new CertificateAuthority(certificate, privateKey, clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Only for storing it encrypted; never log or return it. */
    PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * A certificate for {@code subjectKey} as the profile describes, valid {@code validity} from now
     * but never past the CA's own end.
     */
    public X509Certificate issue(PublicKey subjectKey, CertificateProfile profile, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        Instant now = clock.instant();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, newSerial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), name(profile.commonName()), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.purpose()))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> names = new ArrayList<>();
            profile.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            for (InetAddress address : profile.addresses()) {
                names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress().replaceAll("%.*", "")));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + profile.commonName(), e);
        }
    }

    /** Whether the CA issued {@code issued} (its signature verifies with the CA's key). */
    public boolean issued(X509Certificate issued) {
        try {
            issued.verify(certificate.getPublicKey());
            return issued.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A certificate's serial as the database keeps it. */
    public static String serialText(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** 127 random bits: unpredictable (as the CA/Browser Forum asks) and positive. */
    private static BigInteger newSerial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate", e);
        }
    }
}
