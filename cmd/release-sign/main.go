// Command motcua-release makes the release key pair and signs releases of the
// desktop program. Run it OFFLINE (the release officer's own machine, the
// private key on a USB drive): the private key never goes near the hub.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"motcua/release"
)

const usage = `motcua-release — signs releases of Một Cửa (run it offline)

Usage:
  motcua-release keygen --out PREFIX
        writes PREFIX.key (private: keep it offline, on a USB drive in a safe) and PREFIX.pub
        (public: add it to release/keys.txt before building the desktop program)
  motcua-release sign --key PREFIX.key --msi MotCua-0.2.0.msi --version 0.2.0 [--out FILE.sig]
        signs SHA-256(MSI) and the version; writes MSI.sig (base64) unless --out says otherwise
  motcua-release verify --pub FILE --msi MotCua-0.2.0.msi --version 0.2.0 --sig FILE.sig
        checks a signature as the desktop does (FILE: one or more public keys, e.g. release/keys.txt)

Then the hub administrator publishes it:
  motcua-hub release publish --data DIR --msi MotCua-0.2.0.msi --version 0.2.0 --sig MotCua-0.2.0.msi.sig \
      --notes "Mẫu phiếu tiếp nhận theo Thông tư mới"
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "motcua-release:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("a command is required")
		}
		return nil
	}
	fs := flag.NewFlagSet("motcua-release "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	switch args[0] {
	case "keygen":
		out := fs.String("out", "", "file name prefix of the key pair")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return errors.New("--out is required")
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		// O_EXCL: never overwrite a key pair (the desktops in the field trust the old one)
		f, err := os.OpenFile(*out+".key", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintln(f, release.FormatPrivateKey(priv)); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(*out+".pub", []byte(release.FormatPublicKey(pub)+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s.key (private, keep offline) and %s.pub written:\n%s\n", *out, *out, release.FormatPublicKey(pub))
		return nil
	case "sign":
		keyFile := fs.String("key", "", "private key file (PREFIX.key)")
		msi := fs.String("msi", "", "the MSI")
		version := fs.String("version", "", "its version, MAJOR.MINOR.PATCH")
		out := fs.String("out", "", "signature file (default MSI.sig)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *keyFile == "" || *msi == "" || *version == "" {
			return errors.New("--key, --msi and --version are required")
		}
		if _, err := release.ParseVersion(*version); err != nil {
			return err
		}
		text, err := os.ReadFile(*keyFile)
		if err != nil {
			return err
		}
		priv, err := release.ParsePrivateKey(string(text))
		if err != nil {
			return err
		}
		sum, size, err := release.HashFile(*msi)
		if err != nil {
			return err
		}
		if *out == "" {
			*out = *msi + ".sig"
		}
		sig := release.Sign(priv, *version, sum)
		if err := os.WriteFile(*out, []byte(release.EncodeSignature(sig)+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: version %s, %d bytes, sha256 %x\nsignature written to %s\n", *msi, *version, size, sum, *out)
		return nil
	case "verify":
		pubFile := fs.String("pub", "", "public key file(s)")
		msi := fs.String("msi", "", "the MSI")
		version := fs.String("version", "", "its version")
		sigFile := fs.String("sig", "", "signature file")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *pubFile == "" || *msi == "" || *version == "" || *sigFile == "" {
			return errors.New("--pub, --msi, --version and --sig are required")
		}
		text, err := os.ReadFile(*pubFile)
		if err != nil {
			return err
		}
		keys, err := release.ParsePublicKeys(text)
		if err != nil {
			return err
		}
		sigText, err := os.ReadFile(*sigFile)
		if err != nil {
			return err
		}
		sig, err := release.DecodeSignature(string(sigText))
		if err != nil {
			return err
		}
		sum, _, err := release.HashFile(*msi)
		if err != nil {
			return err
		}
		if err := release.Verify(keys, *version, sum, sig); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s: signature OK\n", *msi, *version)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
