using Credentials.Core.Committees;
using Credentials.Store.Committees;
using Credentials.Store.Writing;
using Credentials.V1;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Server.Committees;

/// <summary>核准备案: storing a newly accredited committee with its ledger event, inside a write.</summary>
public static class CommitteeAccreditation
{
    /// <summary>
    /// Stores <paramref name="committee"/>, its first window and scope (recorded by <paramref name="actor"/>,
    /// no decision document) and its CommitteeAccredited event: for CreateCommittee and the seed command.
    /// The caller checks the window's length (<see cref="AccreditationRules.CheckValidity"/>).
    /// </summary>
    public static Committee Accredit(WriteTransaction tx, Committee committee, string actor)
    {
        var created = committee with
        {
            CreatedAt = tx.Now,
            UpdatedAt = tx.Now,
            Accreditations = [new AccreditationWindow(committee.AccreditedFrom, committee.AccreditedUntil, "", tx.Now, actor)],
            Scopes = [new AccreditedScope(committee.Series, committee.Specialties, committee.Levels, "", committee.AccreditedFrom, tx.Now, actor)],
        };
        CommitteeRepository.Insert(tx.Connection, tx.Transaction, created);
        tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = created.Code,
            CommitteeAccredited = new CommitteeAccredited { Committee = CommitteeMapping.ToProto(created) },
        }, actor);
        return created;
    }
}
