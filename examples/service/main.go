// Command service is a minimal fusion service around trackcorr's tracker, and a client
// that feeds it a simulated scenario.
//
// The protocol is length-delimited protobuf messages (encoding/protodelim) of package
// trackpb: the client sends one Header (the sensors), then Scans; for every Scan the
// service answers with the TrackSet of its live tracks. A bad scan is answered with an
// empty TrackSet and logged; the service keeps running.
//
//	go run ./examples/service                       # serve on standard input and output
//	go run ./examples/service -listen 127.0.0.1:7070 # serve one connection at a time on TCP
//	go run ./examples/service -client 127.0.0.1:7070 # send a scenario and print a summary
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"google.golang.org/protobuf/encoding/protodelim"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

func main() {
	listen := flag.String("listen", "", "serve on this TCP address instead of standard input and output")
	client := flag.String("client", "", "run the client against this TCP address")
	targets := flag.Int("targets", 1000, "client: number of simulated targets")
	flag.Parse()
	var err error
	switch {
	case *client != "":
		var conn net.Conn
		if conn, err = net.Dial("tcp", *client); err == nil {
			var s clientSummary
			s, err = runClient(conn, bench.Scenario{Targets: *targets, Scans: 10, Sensors: 2, Seed: 1})
			conn.Close()
			if err == nil {
				fmt.Printf("sent %d scans with %d detections; last track set: %d tracks, %d confirmed or coasting\n",
					s.scans, s.detections, s.lastTracks, s.lastConfirmed)
			}
		}
	case *listen != "":
		var ln net.Listener
		if ln, err = net.Listen("tcp", *listen); err == nil {
			log.Printf("service: listening on %s", ln.Addr())
			for {
				conn, aerr := ln.Accept()
				if aerr != nil {
					err = aerr
					break
				}
				if serr := serve(conn, conn); serr != nil {
					log.Printf("service: %v", serr)
				}
				conn.Close()
			}
		}
	default:
		err = serve(os.Stdin, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// serve runs one session: a Header, then Scans answered by TrackSets, until EOF.
func serve(r io.Reader, w io.Writer) error {
	br := bufio.NewReader(r)
	bw := bufio.NewWriter(w)
	var h trackpb.Header
	if err := protodelim.UnmarshalFrom(br, &h); err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	conv, err := replay.NewConverter(&h)
	if err != nil {
		return err
	}
	tr, err := correlate.New(correlate.Config{Sensors: conv.Sensors()})
	if err != nil {
		return err
	}
	defer tr.Close()
	var scan correlate.Scan
	var out, snap correlate.Output
	for {
		var s trackpb.Scan
		err := protodelim.UnmarshalFrom(br, &s)
		if errors.Is(err, io.EOF) {
			return bw.Flush()
		}
		if err != nil {
			return fmt.Errorf("reading a scan: %w", err)
		}
		ts := &trackpb.TrackSet{TimeNs: s.GetTimeNs()}
		if err := conv.Scan(&scan, &s); err != nil {
			log.Printf("service: scan rejected: %v", err)
		} else if err := tr.Process(&scan, &out); err != nil {
			log.Printf("service: scan rejected: %v", err) // the tracker is unchanged
		} else {
			tr.Snapshot(&snap)
			ts = replay.TrackSet(snap.Tracks, s.GetTimeNs())
		}
		if _, err := protodelim.MarshalTo(bw, ts); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}

type clientSummary struct {
	scans, detections, lastTracks, lastConfirmed int
}

// runClient sends a simulated scenario over rw and reads one TrackSet per scan.
func runClient(rw io.ReadWriter, sc bench.Scenario) (clientSummary, error) {
	var s clientSummary
	g, err := bench.NewGenerator(sc)
	if err != nil {
		return s, err
	}
	bw := bufio.NewWriter(rw)
	br := bufio.NewReader(rw)
	if _, err := protodelim.MarshalTo(bw, g.Header("service-client")); err != nil {
		return s, err
	}
	for {
		ev, err := g.Next()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return s, err
		}
		if ev.Scan == nil {
			continue
		}
		if _, err := protodelim.MarshalTo(bw, ev.Scan); err != nil {
			return s, err
		}
		if err := bw.Flush(); err != nil {
			return s, err
		}
		var ts trackpb.TrackSet
		if err := protodelim.UnmarshalFrom(br, &ts); err != nil {
			return s, fmt.Errorf("reading a track set: %w", err)
		}
		s.scans++
		s.detections += len(ev.Scan.GetDetections())
		s.lastTracks, s.lastConfirmed = len(ts.GetTracks()), 0
		for _, t := range ts.GetTracks() {
			if st := t.GetStatus(); st == trackpb.TrackStatus_TRACK_STATUS_CONFIRMED || st == trackpb.TrackStatus_TRACK_STATUS_COASTING {
				s.lastConfirmed++
			}
		}
	}
}
