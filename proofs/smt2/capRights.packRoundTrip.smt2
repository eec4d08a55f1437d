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
 (let ((?x20 (bvor (bvand (bvor (_ bv0 64) (bvshl (bvand grantReply (_ bv1 64)) (_ bv3 64))) (_ bv18446744073709551611 64)) (bvshl (bvand grant (_ bv1 64)) (_ bv2 64)))))
 (let ((?x27 (bvand (bvor (bvand ?x20 (_ bv18446744073709551613 64)) (bvshl (bvand read (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551614 64))))
 (let ((?x30 (bvor ?x27 (bvshl (bvand write (_ bv1 64)) (_ bv0 64)))))
 (let ((?x49 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr ?x30 (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64))) (_ bv18446744073709551613 64))))
 (let ((?x53 (bvand (bvor ?x49 (bvshl (bvand (bvand (bvlshr ?x30 (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551611 64))))
 (let ((?x58 (bvand (bvor ?x53 (bvshl (bvand (bvand (bvlshr ?x30 (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64))) (_ bv18446744073709551607 64))))
 (let (($x62 (= (bvor ?x58 (bvshl (bvand (bvand (bvlshr ?x30 (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64))) ?x30)))
 (let (($x37 (and (= (bvand (bvlshr ?x30 (_ bv3 64)) (_ bv1 64)) (bvand grantReply (_ bv1 64))) (= (bvand (bvlshr ?x30 (_ bv2 64)) (_ bv1 64)) (bvand grant (_ bv1 64))))))
 (let (($x45 (and (and $x37 (= (bvand (bvlshr ?x30 (_ bv1 64)) (_ bv1 64)) (bvand read (_ bv1 64)))) (= (bvand (bvlshr ?x30 (_ bv0 64)) (_ bv1 64)) (bvand write (_ bv1 64))))))
 (let (($x63 (and $x45 $x62)))
 (not $x63))))))))))))
(check-sat)
