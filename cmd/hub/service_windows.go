//go:build windows

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"
	"gopkg.in/natefinch/lumberjack.v2"
)

const serviceName = "motcua-hub"

// serviceCommand: motcua-hub service install|uninstall|start|stop|run [serve flags].
func serviceCommand(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("service: install, uninstall, start, stop or run")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "run":
		return runService(rest)
	case "install":
		return installService(rest, stdout)
	}
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("service manager (run as administrator): %w", err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(serviceName)
	if err != nil {
		return fmt.Errorf("service %s is not installed: %w", serviceName, err)
	}
	defer s.Close()
	switch sub {
	case "start":
		return s.Start()
	case "stop":
		_, err := s.Control(svc.Stop)
		return err
	case "uninstall":
		if st, err := s.Query(); err == nil && st.State != svc.Stopped {
			s.Control(svc.Stop)
			for i := 0; i < 40; i++ {
				if st, err := s.Query(); err != nil || st.State == svc.Stopped {
					break
				}
				time.Sleep(time.Second)
			}
		}
		if err := s.Delete(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "service %s removed (its data folder is kept)\n", serviceName)
		return nil
	}
	return fmt.Errorf("service: unknown command %q", sub)
}

// installService registers the service: it starts with the machine, runs
// "motcua-hub service run" with the serve flags given, and is restarted by
// the service manager when it fails.
func installService(serveArgs []string, stdout io.Writer) error {
	data := flagValue(serveArgs, "data")
	if data == "" {
		return errors.New("service install needs the serve flags, at least --data DIR (an absolute path)")
	}
	if !filepath.IsAbs(data) {
		return errors.New("--data must be an absolute path for a service (it starts in C:\\Windows\\System32)")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("service manager (run as administrator): %w", err)
	}
	defer m.Disconnect()
	if s, err := m.OpenService(serviceName); err == nil {
		s.Close()
		return fmt.Errorf("service %s is already installed (service uninstall first)", serviceName)
	}
	s, err := m.CreateService(serviceName, exe, mgr.Config{
		DisplayName: "Một Cửa — máy chủ liên thông (motcua-hub)",
		Description: "Trục liên thông của Một Cửa: chuyển hồ sơ giữa các cơ quan và phát hành bản cập nhật. Dữ liệu: " + data,
		StartType:   mgr.StartAutomatic,
	}, append([]string{"service", "run"}, serveArgs...)...)
	if err != nil {
		return err
	}
	defer s.Close()
	// Delayed start (after the network is up) and restarts on failure: a
	// warning only when the system refuses them (Wine has neither).
	if cfg, err := s.Config(); err == nil {
		cfg.DelayedAutoStart = true
		if err := s.UpdateConfig(cfg); err != nil {
			fmt.Fprintln(stdout, "warning: delayed automatic start not set:", err)
		}
	}
	err = s.SetRecoveryActions([]mgr.RecoveryAction{
		{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 2 * time.Minute},
	}, 24*3600)
	if err != nil {
		fmt.Fprintln(stdout, "warning: restart on failure not set:", err)
	}
	fmt.Fprintf(stdout, "service %s installed (automatic start); logs in %s\nstart it now: motcua-hub service start\n",
		serviceName, filepath.Join(data, "logs", "hub.log"))
	return nil
}

// runService is what the service manager starts: serve until it says stop.
func runService(serveArgs []string) error {
	data := flagValue(serveArgs, "data")
	if data == "" {
		return errors.New("service run needs --data")
	}
	logw := &lumberjack.Logger{Filename: filepath.Join(data, "logs", "hub.log"), MaxSize: 20, MaxBackups: 10, Compress: true}
	defer logw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	done := make(chan error, 1)
	return svc.Run(serviceName, handler(func() {
		go func() { done <- run(append([]string{"serve"}, serveArgs...), logw, logw) }()
	}, cancel, done, logw))
}

type serviceHandler struct {
	start func()
	stop  context.CancelFunc
	done  chan error
	logw  io.Writer
}

func handler(start func(), stop context.CancelFunc, done chan error, logw io.Writer) *serviceHandler {
	return &serviceHandler{start: start, stop: stop, done: done, logw: logw}
}

func (h *serviceHandler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	h.start()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-h.done: // serve ended by itself: a failure (the service manager restarts it)
			fmt.Fprintln(h.logw, "motcua-hub stopped:", err)
			return true, 1
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: 40000}
				h.stop()
				select {
				case <-h.done:
				case <-time.After(40 * time.Second):
				}
				return false, 0
			}
		}
	}
}

// flagValue finds --name VALUE or --name=VALUE (one or two dashes).
func flagValue(args []string, name string) string {
	for i, a := range args {
		for _, p := range []string{"--" + name, "-" + name} {
			if a == p && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, p+"="); ok {
				return v
			}
		}
	}
	return ""
}
