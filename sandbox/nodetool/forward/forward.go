// Package forward makes loopback services of the host (the apiserver, the registry) reachable on
// the same loopback addresses inside the real node's network namespace, so the kubelet and
// containerd there use the addresses the host uses and no server has to listen beyond loopback.
package forward

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Pair is one forwarded address: Listen inside the namespace, Target in this process's own.
type Pair struct{ Listen, Target string }

// Serve listens on every pair's address inside the network namespace at nsPath and copies each
// connection to its target; it returns only on a listener error.
func Serve(nsPath string, pairs []Pair) error {
	errs := make(chan error, len(pairs))
	for _, p := range pairs {
		l, err := listenIn(nsPath, p.Listen)
		if err != nil {
			return err
		}
		go func(p Pair) { errs <- accept(l, p.Target) }(p)
	}
	return <-errs
}

// listenIn opens the listener on a thread that joins the namespace and is then thrown away (a
// goroutine that exits while locked takes its thread with it), so no other goroutine ever runs
// in the namespace: dials to the targets stay in the host's.
func listenIn(nsPath, addr string) (net.Listener, error) {
	type result struct {
		l   net.Listener
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		ns, err := os.Open(nsPath)
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{nil, fmt.Errorf("joining %s: %w", nsPath, err)}
			return
		}
		l, err := net.Listen("tcp", addr)
		done <- result{l, err}
	}()
	r := <-done
	return r.l, r.err
}

func accept(l net.Listener, target string) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go pipe(c.(*net.TCPConn), target)
	}
}

func pipe(in *net.TCPConn, target string) {
	defer in.Close()
	d, err := net.Dial("tcp", target)
	if err != nil {
		log.Printf("forward to %s: %v", target, err)
		return
	}
	out := d.(*net.TCPConn)
	defer out.Close()
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(out, in)
		_ = out.CloseWrite()
		close(done)
	}()
	_, _ = io.Copy(in, out)
	_ = in.CloseWrite()
	<-done
}
