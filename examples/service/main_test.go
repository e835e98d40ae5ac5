package main

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/bench"
)

// The client and the service over a loopback TCP connection: every scan is answered and
// the targets end up confirmed.
func TestServiceOverTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer conn.Close()
		done <- serve(conn, conn)
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	s, err := runClient(conn, bench.Scenario{Targets: 200, Scans: 8, Sensors: 2, Seed: 3})
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	require.NoError(t, <-done)
	conn.Close()
	assert.Equal(t, 16, s.scans)
	assert.InDelta(t, 200, s.lastConfirmed, 10)
}
