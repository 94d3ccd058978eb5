// Package images builds the real node's images (the pause image and the validator base image)
// without Docker: one reproducible tar layer each, so the same inputs give the same digest and a
// push of an image the registry already holds is skipped.
package images

import (
	"archive/tar"
	"bytes"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// A fixed time for every entry and the image's creation: reproducible digests.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// layerBuilder writes a tar in memory, root-owned entries, fixed times.
type layerBuilder struct {
	buf bytes.Buffer
	tw  *tar.Writer
}

func newLayer() *layerBuilder {
	b := &layerBuilder{}
	b.tw = tar.NewWriter(&b.buf)
	return b
}

func (b *layerBuilder) dir(name string, mode int64) error {
	return b.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode, ModTime: epoch, Format: tar.FormatPAX})
}

func (b *layerBuilder) file(name string, mode int64, content []byte) error {
	h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(content)), ModTime: epoch, Format: tar.FormatPAX}
	if err := b.tw.WriteHeader(h); err != nil {
		return err
	}
	_, err := b.tw.Write(content)
	return err
}

func (b *layerBuilder) symlink(name, target string) error {
	return b.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777, ModTime: epoch, Format: tar.FormatPAX})
}

func (b *layerBuilder) layer() (v1.Layer, error) {
	if err := b.tw.Close(); err != nil {
		return nil, err
	}
	data := b.buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
}
