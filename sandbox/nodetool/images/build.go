package images

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Pause is the pod sandbox image: the static pause binary alone, run as 65535 like the
// upstream pause image.
func Pause(pauseBinary string) (v1.Image, error) {
	bin, err := os.ReadFile(pauseBinary)
	if err != nil {
		return nil, err
	}
	l := newLayer()
	if err := l.file("pause", 0o755, bin); err != nil {
		return nil, err
	}
	return image(l, v1.Config{Entrypoint: []string{"/pause"}, User: "65535:65535"})
}

// ValidatorBase is a shell image for validators: a static busybox with one symlink per applet
// (at the paths busybox itself lists), /tmp, and the users root and nobody. It runs as nobody
// (65534), so it meets the restricted Pod Security Standard without a runAsUser.
func ValidatorBase(busybox string) (v1.Image, error) {
	bin, err := os.ReadFile(busybox)
	if err != nil {
		return nil, err
	}
	applets, err := appletPaths(busybox)
	if err != nil {
		return nil, err
	}
	l := newLayer()
	for _, d := range []string{"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc"} {
		if err := l.dir(d, 0o755); err != nil {
			return nil, err
		}
	}
	steps := []error{
		l.dir("tmp", 0o1777),
		l.file("bin/busybox", 0o755, bin),
		l.file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n")),
		l.file("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n")),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	for _, p := range applets {
		if p == "bin/busybox" {
			continue
		}
		if err := l.symlink(p, "/bin/busybox"); err != nil {
			return nil, err
		}
	}
	return image(l, v1.Config{
		Cmd:  []string{"/bin/sh"},
		Env:  []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
		User: "65534",
	})
}

// appletPaths asks busybox where its applets live (usr/bin/awk, sbin/ip, ...), sorted.
func appletPaths(busybox string) ([]string, error) {
	out, err := exec.Command(busybox, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list-full: %w", busybox, err)
	}
	var paths []string
	for _, p := range strings.Fields(string(out)) {
		paths = append(paths, path.Clean(p))
	}
	sort.Strings(paths)
	return paths, nil
}

// image wraps one layer with a config naming the OS and architecture (containerd skips an image
// without them).
func image(l *layerBuilder, cfg v1.Config) (v1.Image, error) {
	layer, err := l.layer()
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	file, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	file = file.DeepCopy()
	file.OS = "linux"
	file.Architecture = runtime.GOARCH
	file.Created = v1.Time{Time: epoch}
	file.Config = cfg
	return mutate.ConfigFile(img, file)
}
