package images

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// HtpasswdLine is one entry of the registry's htpasswd file: distribution accepts bcrypt only.
func HtpasswdLine(user, password string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hashing the password: %w", err)
	}
	return fmt.Sprintf("%s:%s\n", user, hash), nil
}
