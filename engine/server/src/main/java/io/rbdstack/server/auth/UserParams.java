package io.rbdstack.server.auth;

import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.ParamGroup;
import io.rbdstack.server.auth.crypto.PasswordHasher;

/** The user createAccount and createUser make: the same parameters, declared once. */
@ParamGroup
public record UserParams(
        @Param(description = "Unique username", column = "user.username") String username,
        @Param(description = "Clear text password of the user (the server keeps only a hash)") String password,
        @Param(description = "email", column = "user.email") String email,
        @Param(description = "firstname", column = "user.firstname") String firstName,
        @Param(description = "lastname", column = "user.lastname") String lastName) {

    UserRepository.NewUser newUser(PasswordHasher hasher) {
        return new UserRepository.NewUser(username, hasher.hash(password.toCharArray()), firstName, lastName, email);
    }

    @Override
    public String toString() {
        return "UserParams[" + username + "]";
    }
}
