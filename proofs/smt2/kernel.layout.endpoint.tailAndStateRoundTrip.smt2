; obligation: kernel.layout.endpoint.tailAndStateRoundTrip
; statement: the tail-and-state word the kernel writes for any TCB address below 2^48 (or 0) and any state idle, send, recv reads back as that tail and that state
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.endpoint.tailAndStateRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tail () (_ BitVec 64))
(assert
 (bvule tail (_ bv281474976710655 64)))
(assert
 (= (bvand tail (_ bv2047 64)) (_ bv0 64)))
(assert
 (let ((?x19 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvlshr tail (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64))) (_ bv18446744073709551612 64))))
 (let ((?x41 (bvor ?x19 (_ bv2 64))))
 (let (($x29 (and (= (bvshl (bvand (bvlshr (bvor ?x19 (_ bv0 64)) (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail) (= (bvand (bvlshr (bvor ?x19 (_ bv0 64)) (_ bv0 64)) (_ bv3 64)) (_ bv0 64)))))
 (let (($x36 (and $x29 (= (bvshl (bvand (bvlshr (bvor ?x19 (_ bv1 64)) (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail))))
 (let (($x46 (and (and $x36 (= (bvand (bvlshr (bvor ?x19 (_ bv1 64)) (_ bv0 64)) (_ bv3 64)) (_ bv1 64))) (= (bvshl (bvand (bvlshr ?x41 (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail))))
 (let (($x50 (and $x46 (= (bvand (bvlshr ?x41 (_ bv0 64)) (_ bv3 64)) (_ bv2 64)))))
 (not $x50))))))))
(check-sat)
