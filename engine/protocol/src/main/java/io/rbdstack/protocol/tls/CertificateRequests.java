package io.rbdstack.protocol.tls;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * PKCS#10 certificate requests: the agent makes one for a key pair that never leaves its host;
 * the server takes from it only the public key, after checking the request is signed with the
 * matching private key (so nobody gets a certificate for a key they do not hold). The subject the
 * agent asks for is ignored: the server names the certificate after the host row.
 */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /** A PEM request for {@code keys}, its subject CN the host's name (informational). */
    public static String create(KeyPair keys, String hostname) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        try {
            ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(keys.getPrivate());
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(signer);
            return Pem.encode(Pem.CERTIFICATE_REQUEST, request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate request", e);
        }
    }

    /** The public key of a PEM request whose signature proves possession of the private key. */
    public static PublicKey verifiedPublicKey(String pem) throws Pem.InvalidPemException {
        PKCS10CertificationRequest request = parse(pem);
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            PublicKey key = jca.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new Pem.InvalidPemException("the certificate request's signature does not match its key");
            }
            return key;
        } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
            throw new Pem.InvalidPemException("unverifiable certificate request: " + e.getClass().getSimpleName());
        }
    }

    private static PKCS10CertificationRequest parse(String pem) throws Pem.InvalidPemException {
        List<Pem.Block> all = Pem.blocks(pem);
        // "NEW CERTIFICATE REQUEST" is the label older tools (Netscape, some OpenSSL versions) write.
        if (all.size() != 1 || !List.of(Pem.CERTIFICATE_REQUEST, "NEW " + Pem.CERTIFICATE_REQUEST)
                .contains(all.get(0).type())) {
            throw new Pem.InvalidPemException("expected one PKCS#10 certificate request");
        }
        try {
            return new PKCS10CertificationRequest(all.get(0).der());
        } catch (IOException | RuntimeException e) {
            throw new Pem.InvalidPemException("malformed PKCS#10 certificate request: " + e.getClass().getSimpleName());
        }
    }
}
