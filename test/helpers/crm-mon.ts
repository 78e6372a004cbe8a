/**
 * What `crm_mon -1 --output-as=xml` prints for a two-node cluster that is up
 * but not healthy: node2 is the DC and in standby, group g_VI_1's IPaddr2
 * `vip` runs on node1, and one monitor of it failed on node2. Shared by the
 * parser tests (remote-state) and the checklist tests (check-checklist),
 * which derive a healthy status from it.
 */
export const CRM_MON = `<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">
  <summary>
    <current_dc present="true" version="2.1.5" name="node2" id="2" with_quorum="true" mixed_version="false"/>
    <cluster_options stonith-enabled="false" symmetric-cluster="true" no-quorum-policy="stop"/>
  </summary>
  <nodes>
    <node name="node1" id="1" online="true" standby="false" unclean="false" type="member"/>
    <node name="node2" id="2" online="true" standby="true" unclean="false" type="member"/>
  </nodes>
  <resources>
    <group id="g_VI_1" number_resources="1">
      <resource id="vip" resource_agent="ocf:heartbeat:IPaddr2" role="Started" active="true" failed="false" nodes_running_on="1">
        <node name="node1" id="1" cached="true"/>
      </resource>
    </group>
  </resources>
  <failures>
    <failure op_key="vip_monitor_2000" node="node2" exitstatus="not running" exitreason="" exitcode="7" task="monitor"/>
  </failures>
  <status code="0" message="OK"/>
</pacemaker-result>`;
