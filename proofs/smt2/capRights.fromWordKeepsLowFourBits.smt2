; obligation: capRights.fromWordKeepsLowFourBits
; statement: rightsFromWord keeps exactly bits 0..3 (Write, Read, Grant, GrantReply) of a user word
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.fromWordKeepsLowFourBits
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr word (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x1 (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr word (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr word (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr word (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let (($x4 (= ?x3 (bvand word (_ bv15 64)))))
 (not $x4)))))))
(check-sat)
