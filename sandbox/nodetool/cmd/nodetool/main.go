// nodetool: the sandbox's helper for its real node.
//
//	nodetool push-pause <registry host:port> <repo:tag> <pause binary>
//	nodetool push-base  <registry host:port> <repo:tag> <busybox binary>
//	nodetool push-script <registry host:port> <repo:tag> <busybox binary> <script>
//	nodetool forward <netns path> <listen>=<target>...
//	nodetool htpasswd <user>          (the password on stdin)
//
// A push to a registry that needs a login takes it from NODETOOL_REGISTRY_AUTH=<user>:<password>
// (never an argument: arguments are visible to every user of the machine).
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"verdict.local/nodetool/forward"
	"verdict.local/nodetool/images"
)

const usage = `usage:
  nodetool push-pause <registry host:port> <repo:tag> <pause binary>
  nodetool push-base  <registry host:port> <repo:tag> <busybox binary>
  nodetool push-script <registry host:port> <repo:tag> <busybox binary> <script>
  nodetool forward <netns path> <listen host:port>=<target host:port>...
  nodetool htpasswd <user>   (the password on stdin)`

// The main goroutine keeps the main thread, so forward's namespace-joining goroutine never runs on
// it: a goroutine that exits locked to the main thread leaves it wedged (in the node's namespace).
func init() { runtime.LockOSThread() }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "nodetool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command\n%s", usage)
	}
	switch cmd, rest := args[0], args[1:]; {
	case (cmd == "push-pause" || cmd == "push-base") && len(rest) == 3:
		build := images.Pause
		if cmd == "push-base" {
			build = images.ValidatorBase
		}
		img, err := build(rest[2])
		if err != nil {
			return err
		}
		return push(img, rest[0]+"/"+rest[1])
	case cmd == "push-script" && len(rest) == 4:
		img, err := images.ScriptValidator(rest[2], rest[3])
		if err != nil {
			return err
		}
		return push(img, rest[0]+"/"+rest[1])
	case cmd == "forward" && len(rest) >= 2:
		var pairs []forward.Pair
		for _, p := range rest[1:] {
			listen, target, ok := strings.Cut(p, "=")
			if !ok {
				return fmt.Errorf("forward: %q is not <listen>=<target>", p)
			}
			pairs = append(pairs, forward.Pair{Listen: listen, Target: target})
		}
		return forward.Serve(rest[0], pairs)
	case cmd == "htpasswd" && len(rest) == 1:
		password, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		line, err := images.HtpasswdLine(rest[0], strings.TrimRight(string(password), "\n"))
		if err != nil {
			return err
		}
		fmt.Print(line)
		return nil
	default:
		return fmt.Errorf("bad arguments: %s\n%s", strings.Join(args, " "), usage)
	}
}

func push(img v1.Image, ref string) error {
	var auth authn.Authenticator
	if login := os.Getenv("NODETOOL_REGISTRY_AUTH"); login != "" {
		user, password, _ := strings.Cut(login, ":")
		auth = &authn.Basic{Username: user, Password: password}
	}
	digest, pushed, err := images.Push(img, ref, auth)
	if err != nil {
		return err
	}
	verb := "already present"
	if pushed {
		verb = "pushed"
	}
	fmt.Printf("%s %s@%s\n", verb, ref, digest)
	return nil
}
