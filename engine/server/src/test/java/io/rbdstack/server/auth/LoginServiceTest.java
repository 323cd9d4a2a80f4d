package io.rbdstack.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiRequest;
import io.rbdstack.server.api.ResponseFormat;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The login decisions: which checks run, what is counted, and that every refusal reads the same. */
class LoginServiceTest {

    private static final Map<String, String> PARAMS = Map.of("username", "mallory", "password", "guess");
    private static final ApiRequest REQUEST = new ApiRequest("POST", PARAMS, Optional.empty(), "10.0.0.9");

    private final PasswordHasher hasher = spy(new PasswordHasher());
    private final UserRepository users = mock(UserRepository.class);
    private final LoginThrottle throttle = mock(LoginThrottle.class);
    private final ActionEvents events = mock(ActionEvents.class);
    private final LoginService login = new LoginService(users, mock(SessionStore.class), hasher, throttle, events);

    @Test
    void anUnknownUserCostsOnePasswordHashOfTheSameWorkAndIsCounted() {
        when(users.findForLogin(any(), any())).thenReturn(Optional.empty());
        ApiException e = assertThrows(ApiException.class, () -> login.login(REQUEST, PARAMS, ResponseFormat.JSON));
        assertEquals(401, e.errorCode().httpCode());
        assertEquals("Failed to authenticate user mallory in domain /; please provide valid credentials", e.getMessage());
        verify(hasher).matches(any(), argThat(stored -> stored.startsWith("pbkdf2-sha256$"
                + PasswordHasher.MIN_ITERATIONS + "$")));
        verify(throttle).failed("10.0.0.9", null);
        verifyNoInteractions(events);
    }

    @Test
    void aWrongPasswordOfAKnownUserIsAnErrorEventOfThatUserNamingTheSourceNotThePassword() {
        Caller mallory = new Caller(7, "u-7", "mallory", 3, "a-3", "acme", Caller.TYPE_USER, 1, "d-1", "/");
        String realHash = hasher.hash("the-real-one".toCharArray());
        when(users.findForLogin("mallory", "/")).thenReturn(Optional.of(new UserRepository.LoginCandidate(mallory,
                realHash)));
        assertThrows(ApiException.class, () -> login.login(REQUEST, PARAMS, ResponseFormat.JSON));
        verify(events).happened(mallory, "USER.LOGIN", EventLevel.ERROR, "user failed to log in from IP Address 10.0.0.9",
                new EventResource("User", "u-7"));
    }

    @Test
    void aBlockedSourceIsRefusedBeforeAnyUserOrPasswordIsLookedAt() {
        when(throttle.sourceBlocked("10.0.0.9")).thenReturn(true);
        ApiException e = assertThrows(ApiException.class, () -> login.login(REQUEST, PARAMS, ResponseFormat.JSON));
        assertEquals("Failed to authenticate user mallory in domain /; please provide valid credentials", e.getMessage());
        verifyNoInteractions(users);
        verify(hasher, never()).matches(any(), any());
        verify(throttle, never()).failed(any(), any());
    }
}
