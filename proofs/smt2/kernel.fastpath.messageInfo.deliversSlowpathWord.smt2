; obligation: kernel.fastpath.messageInfo.deliversSlowpathWord
; statement: when fastpath_mi_check passes, the word the fastpath gives the receiver (capsUnwrapped cleared) is the one doIPCTransfer packs with no caps transferred: the label, capsUnwrapped 0, extraCaps 0, the clamped length
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.fastpath.messageInfo.deliversSlowpathWord
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (not (bvult (_ bv4 64) (bvand word (_ bv511 64)))))
(assert
 (let ((?x0 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let ((?x1 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64)) (_ bv4503599627370495 64)) (_ bv12 64)))))
 (let ((?x2 (bvor (bvand (bvor (bvand (bvor (bvand ?x1 (_ bv18446744073709548031 64)) (_ bv0 64)) (_ bv18446744073709551231 64)) (_ bv0 64)) (_ bv18446744073709551488 64)) (bvshl (bvand (ite (bvult (_ bv120 64) ?x0) (_ bv120 64) ?x0) (_ bv127 64)) (_ bv0 64)))))
 (let (($x3 (= (bvor (bvand word (_ bv18446744073709548031 64)) (_ bv0 64)) ?x2)))
 (not $x3))))))
(check-sat)
