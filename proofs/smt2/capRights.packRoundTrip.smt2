; obligation: capRights.packRoundTrip
; statement: seL4_CapRights_new(grantReply, grant, read, write) sets each right's bit from its argument's low bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.packRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun write () (_ BitVec 64))
(declare-fun read () (_ BitVec 64))
(declare-fun grant () (_ BitVec 64))
(declare-fun grantReply () (_ BitVec 64))
(assert
 (let ((?x0 (bvor (bvand (bvor (_ bv0 64) (bvshl (bvand grantReply (_ bv1 64)) (_ bv3 64))) (_ bv18446744073709551611 64)) (bvshl (bvand grant (_ bv1 64)) (_ bv2 64)))))
 (let ((?x1 (bvand (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand read (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551614 64))))
 (let ((?x2 (bvor ?x1 (bvshl (bvand write (_ bv1 64)) (_ bv0 64)))))
 (let ((?x3 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64))) (_ bv18446744073709551613 64))))
 (let ((?x4 (bvand (bvor ?x3 (bvshl (bvand (bvand (bvlshr ?x2 (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551611 64))))
 (let ((?x5 (bvand (bvor ?x4 (bvshl (bvand (bvand (bvlshr ?x2 (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64))) (_ bv18446744073709551607 64))))
 (let (($x6 (= (bvor ?x5 (bvshl (bvand (bvand (bvlshr ?x2 (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64))) ?x2)))
 (let (($x7 (and (= (bvand (bvlshr ?x2 (_ bv3 64)) (_ bv1 64)) (bvand grantReply (_ bv1 64))) (= (bvand (bvlshr ?x2 (_ bv2 64)) (_ bv1 64)) (bvand grant (_ bv1 64))))))
 (let (($x8 (and (and $x7 (= (bvand (bvlshr ?x2 (_ bv1 64)) (_ bv1 64)) (bvand read (_ bv1 64)))) (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv1 64)) (bvand write (_ bv1 64))))))
 (let (($x9 (and $x8 $x6)))
 (not $x9))))))))))))
(check-sat)
