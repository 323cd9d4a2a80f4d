package io.rbdstack.server.ca;

import io.rbdstack.protocol.tls.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks an agent's PKCS#10 request: the server takes from it only the public key, once the request's signature
 * proves possession of the private key (so nobody gets a certificate for a key they do not hold). The subject the
 * agent asks for is ignored: the server names the certificate after the host row.
 */
public final class CertificateRequestVerifier {

    private CertificateRequestVerifier() {
    }

    /** The public key of a PEM request whose signature proves possession of the private key. */
    public static PublicKey verifiedPublicKey(String pem) throws Pem.InvalidPemException {
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(Pem.certificateRequest(pem));
        } catch (IOException | RuntimeException e) {
            throw new Pem.InvalidPemException("malformed PKCS#10 certificate request: " + e.getClass().getSimpleName());
        }
        try {
            PublicKey key = new JcaPKCS10CertificationRequest(request).getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new Pem.InvalidPemException("the certificate request's signature does not match its key");
            }
            return key;
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new Pem.InvalidPemException("unverifiable certificate request: " + e.getClass().getSimpleName());
        }
    }
}
