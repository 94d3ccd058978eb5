package images

import (
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// ScriptPath is where a script validator's script lives in its image, and its entrypoint.
const ScriptPath = "/validator/validate.sh"

// ScriptValidator is the validator base image plus one layer holding a validator's shell script
// as its entrypoint (examples/validator-template): a second layer, so the base layer is shared.
func ScriptValidator(busybox, script string) (v1.Image, error) {
	base, err := ValidatorBase(busybox)
	if err != nil {
		return nil, err
	}
	body, err := os.ReadFile(script)
	if err != nil {
		return nil, err
	}
	l := newLayer()
	if err := l.dir("validator", 0o755); err != nil {
		return nil, err
	}
	if err := l.file(ScriptPath[1:], 0o755, body); err != nil {
		return nil, err
	}
	layer, err := l.layer()
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(base, layer)
	if err != nil {
		return nil, err
	}
	file, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg := file.Config
	cfg.Entrypoint = []string{ScriptPath}
	cfg.Cmd = nil // the base's /bin/sh would become the script's argument
	return mutate.Config(img, cfg)
}
