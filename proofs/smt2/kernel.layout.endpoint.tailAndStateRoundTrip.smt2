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
 (let ((?x0 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvlshr tail (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64))) (_ bv18446744073709551612 64))))
 (let ((?x1 (bvor ?x0 (_ bv2 64))))
 (let (($x2 (and (= (bvshl (bvand (bvlshr (bvor ?x0 (_ bv0 64)) (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail) (= (bvand (bvlshr (bvor ?x0 (_ bv0 64)) (_ bv0 64)) (_ bv3 64)) (_ bv0 64)))))
 (let (($x3 (and $x2 (= (bvshl (bvand (bvlshr (bvor ?x0 (_ bv1 64)) (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail))))
 (let (($x4 (and (and $x3 (= (bvand (bvlshr (bvor ?x0 (_ bv1 64)) (_ bv0 64)) (_ bv3 64)) (_ bv1 64))) (= (bvshl (bvand (bvlshr ?x1 (_ bv2 64)) (_ bv70368744177663 64)) (_ bv2 64)) tail))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x1 (_ bv0 64)) (_ bv3 64)) (_ bv2 64)))))
 (not $x5))))))))
(check-sat)
