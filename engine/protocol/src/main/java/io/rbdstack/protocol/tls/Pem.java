package io.rbdstack.protocol.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * PEM text of certificates, private keys (PKCS#8) and certificate requests, the form they take on
 * the wire, in files and in the database. Errors name what was expected, never quote the text.
 */
public final class Pem {

    private Pem() {
    }

    public static String encode(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** PKCS#8 ("PRIVATE KEY"), unencrypted: callers encrypt it or keep it in a file only its owner reads. */
    public static String encodePrivateKey(PrivateKey key) {
        try {
            return encode(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot write a private key as PKCS#8", e);
        }
    }

    /** Every certificate in {@code pem}, in order; at least one. */
    public static List<X509Certificate> certificates(String pem) throws InvalidPemException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : objects(pem)) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new InvalidPemException("expected only certificates, found " + object.getClass().getSimpleName());
            }
            try {
                certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
            } catch (CertificateException e) {
                throw new InvalidPemException("unreadable certificate: " + e.getMessage());
            }
        }
        if (certificates.isEmpty()) {
            throw new InvalidPemException("expected a PEM certificate, found none");
        }
        return certificates;
    }

    public static X509Certificate certificate(String pem) throws InvalidPemException {
        List<X509Certificate> all = certificates(pem);
        if (all.size() != 1) {
            throw new InvalidPemException("expected one certificate, found " + all.size());
        }
        return all.get(0);
    }

    public static PrivateKey privateKey(String pem) throws InvalidPemException {
        List<Object> all = objects(pem);
        if (all.size() != 1 || !(all.get(0) instanceof PrivateKeyInfo info)) {
            throw new InvalidPemException("expected one PKCS#8 private key");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new InvalidPemException("unreadable private key: " + e.getMessage());
        }
    }

    /** A private key and its certificate chain in one PEM text (one file, so they are replaced together). */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        @Override
        public String toString() {
            return "KeyAndChain[key=******, chain=" + chain.size() + " certificate(s)]";
        }
    }

    public static String encode(KeyAndChain keyAndChain) {
        StringBuilder text = new StringBuilder(encodePrivateKey(keyAndChain.key()));
        keyAndChain.chain().forEach(certificate -> text.append(encode(certificate)));
        return text.toString();
    }

    public static KeyAndChain keyAndChain(String pem) throws InvalidPemException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : objects(pem)) {
            if (object instanceof PrivateKeyInfo info && key == null) {
                try {
                    key = new JcaPEMKeyConverter().getPrivateKey(info);
                } catch (IOException e) {
                    throw new InvalidPemException("unreadable private key: " + e.getMessage());
                }
            } else if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (CertificateException e) {
                    throw new InvalidPemException("unreadable certificate: " + e.getMessage());
                }
            } else {
                throw new InvalidPemException("expected one private key and certificates, found "
                        + object.getClass().getSimpleName());
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new InvalidPemException("expected a private key and at least one certificate");
        }
        return new KeyAndChain(key, chain);
    }

    public static PKCS10CertificationRequest certificationRequest(String pem) throws InvalidPemException {
        List<Object> all = objects(pem);
        if (all.size() != 1 || !(all.get(0) instanceof PKCS10CertificationRequest request)) {
            throw new InvalidPemException("expected one PKCS#10 certificate request");
        }
        return request;
    }

    private static List<Object> objects(String pem) throws InvalidPemException {
        if (pem == null || pem.isBlank()) {
            throw new InvalidPemException("expected PEM text, got nothing");
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidPemException("malformed PEM: " + e.getClass().getSimpleName());
        }
        return objects;
    }

    /** PEM text that is not what it should be. */
    public static final class InvalidPemException extends Exception {
        public InvalidPemException(String message) {
            super(message);
        }
    }
}
