package images

import (
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Push sends the image to a plain-HTTP registry unless the tag already points at the same
// digest; it returns the digest and whether it pushed. auth is nil for a registry without one.
func Push(img v1.Image, ref string, auth authn.Authenticator) (v1.Hash, bool, error) {
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		return v1.Hash{}, false, err
	}
	digest, err := img.Digest()
	if err != nil {
		return v1.Hash{}, false, err
	}
	if auth == nil {
		auth = authn.Anonymous
	}
	if desc, err := remote.Head(tag, remote.WithAuth(auth)); err == nil && desc.Digest == digest {
		return digest, false, nil
	}
	if err := remote.Write(tag, img, remote.WithAuth(auth)); err != nil {
		return v1.Hash{}, false, fmt.Errorf("pushing %s: %w", ref, err)
	}
	return digest, true, nil
}
